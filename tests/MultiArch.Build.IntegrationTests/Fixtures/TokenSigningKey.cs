using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace MultiArch.Build.IntegrationTests.Fixtures;

/// <summary>
/// How a token's header names the key that signed it. Distribution 2.8 looks for <c>x5c</c>, then
/// <c>jwk</c>, then <c>kid</c> (registry/auth/token/token.go, <c>VerifySigningKey</c>); with none of
/// them it refuses the token.
/// </summary>
public enum TokenKeyHeader
{
    /// <summary><c>kid</c>: the libtrust fingerprint of the public key, which the registry looks up among the keys of its rootcertbundle.</summary>
    KeyId,

    /// <summary><c>x5c</c>: the signing certificate (base64 DER), which the registry verifies as a chain up to its rootcertbundle.</summary>
    CertificateChain,
}

/// <summary>
/// An RSA key pair made in the test and a self-signed certificate of its public key. The certificate,
/// as PEM, is the registry's <c>rootcertbundle</c>; the private key signs RS256 tokens.
/// </summary>
public sealed class TokenSigningKey : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;

    public TokenSigningKey()
    {
        var request = new CertificateRequest("CN=mab-test-token-signer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        _certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
        KeyId = LibtrustKeyId(_key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>
    /// The key's libtrust fingerprint, the form distribution expects in <c>kid</c>: SHA-256 of the DER
    /// SubjectPublicKeyInfo, cut to 240 bits, base32 without padding, in twelve groups of four joined by ':'.
    /// </summary>
    public string KeyId { get; }

    /// <summary>The self-signed certificate as PEM, for the registry's <c>rootcertbundle</c>.</summary>
    public string CertificatePem => _certificate.ExportCertificatePem();

    /// <summary>A compact JWS (header.claims.signature, base64url without padding) signed with RS256.</summary>
    public string Sign(JsonObject claims, TokenKeyHeader keyHeader)
    {
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256" };
        if (keyHeader == TokenKeyHeader.KeyId) header["kid"] = KeyId;
        else header["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData));
        string signed = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString()))
            + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url.EncodeToString(signature);
    }

    private static string LibtrustKeyId(byte[] subjectPublicKeyInfo)
    {
        string base32 = Base32(SHA256.HashData(subjectPublicKeyInfo).AsSpan(0, 30));
        return string.Join(':', Enumerable.Range(0, base32.Length / 4).Select(i => base32.Substring(i * 4, 4)));
    }

    /// <summary>RFC 4648 base32; 30 bytes make exactly 48 characters, so no padding arises.</summary>
    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var text = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (byte b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                text.Append(alphabet[(buffer >> bits) & 31]);
            }
        }
        if (bits > 0) text.Append(alphabet[(buffer << (5 - bits)) & 31]);
        return text.ToString();
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }
}
