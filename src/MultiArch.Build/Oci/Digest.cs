using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Oci;

/// <summary>
/// A content digest, <c>algorithm:hex</c>. sha256 is what MultiArch.Build writes; sha512 is accepted
/// when reading content that others wrote. Hex is always lowercase, as the image-spec requires.
/// </summary>
[JsonConverter(typeof(DigestJsonConverter))]
public readonly record struct Digest
{
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Algorithm { get; }
    public string Hex { get; }

    public override string ToString() => Algorithm + ":" + Hex;

    public static Digest Parse(string value) =>
        TryParse(value, out var digest, out var problem)
            ? digest
            : throw new MabException(ErrorCode.InvalidDigest, $"'{value}' is not a valid digest: {problem}. Use the form sha256:<64 lowercase hex digits>.");

    public static bool TryParse(string? value, out Digest digest) => TryParse(value, out digest, out _);

    private static bool TryParse(string? value, out Digest digest, out string problem)
    {
        digest = default;
        if (string.IsNullOrEmpty(value)) { problem = "it is empty"; return false; }
        int colon = value.IndexOf(':');
        if (colon <= 0) { problem = "it has no algorithm prefix"; return false; }
        string algorithm = value[..colon];
        string hex = value[(colon + 1)..];
        int expected = algorithm switch { Sha256 => 64, Sha512 => 128, _ => -1 };
        if (expected < 0) { problem = $"algorithm '{algorithm}' is not supported (sha256, sha512)"; return false; }
        if (hex.Length != expected) { problem = $"a {algorithm} digest has {expected} hex digits, not {hex.Length}"; return false; }
        foreach (char c in hex)
        {
            if (!(char.IsAsciiDigit(c) || (c >= 'a' && c <= 'f')))
            { problem = "the hex part must be lowercase 0-9a-f"; return false; }
        }
        problem = "";
        digest = new Digest(algorithm, hex);
        return true;
    }

    public static Digest FromSha256Hash(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32) throw new ArgumentException("A sha256 hash has 32 bytes.", nameof(hash));
        return new Digest(Sha256, Convert.ToHexString(hash).ToLowerInvariant());
    }

    public static Digest Compute(ReadOnlySpan<byte> content) => FromSha256Hash(SHA256.HashData(content));

    public static Digest Compute(Stream content) => FromSha256Hash(SHA256.HashData(content));

    /// <summary>Hashes <paramref name="content"/> with this digest's algorithm and compares.</summary>
    public bool Matches(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[64];
        int length = Algorithm == Sha512 ? SHA512.HashData(content, hash) : SHA256.HashData(content, hash);
        return string.Equals(Convert.ToHexString(hash[..length]), Hex, StringComparison.OrdinalIgnoreCase);
    }
}

internal sealed class DigestJsonConverter : JsonConverter<Digest>
{
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException("A digest must be a JSON string.");
        string value = reader.GetString()!;
        if (!Digest.TryParse(value, out var digest))
            throw new JsonException($"'{value}' is not a valid digest.");
        return digest;
    }

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
