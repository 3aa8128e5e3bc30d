using System.Security.Cryptography;
using System.Text.Json;

namespace MultiArch.Build.Testing;

/// <summary>
/// Reads what is in the registry with skopeo, an independent client. Credentials are skopeo's own arguments
/// (<c>--creds user:password</c>, as <see cref="RegistryFixture.SkopeoCredentials"/> gives them), or none.
/// </summary>
public static class Skopeo
{
    /// <summary>The manifest or index exactly as the registry serves it.</summary>
    public static byte[] InspectRawBytes(string reference, IReadOnlyList<string>? credentials = null) =>
        System.Text.Encoding.UTF8.GetBytes(ProcessRunner.RunChecked("skopeo", ["inspect", "--raw", "--tls-verify=false", .. credentials ?? [], "docker://" + reference]).Output);

    public static JsonElement InspectRaw(string reference, IReadOnlyList<string>? credentials = null) => JsonDocument.Parse(InspectRawBytes(reference, credentials)).RootElement;

    /// <summary>Copies an image from the registry into the OCI layout <paramref name="layout"/> as <paramref name="tag"/>, every blob checked against its digest on the way.</summary>
    public static Task CopyToLayoutAsync(string reference, string layout, string tag, IReadOnlyList<string>? credentials = null) =>
        ProcessRunner.RunCheckedAsync("skopeo", ["copy", "--src-tls-verify=false", .. SourceCredentials(credentials), "docker://" + reference, $"oci:{layout}:{tag}"]);

    // copy reads with --src-creds what inspect and list-tags read with --creds.
    private static IEnumerable<string> SourceCredentials(IReadOnlyList<string>? credentials) =>
        (credentials ?? []).Select(argument => argument == "--creds" ? "--src-creds" : argument);

    public static JsonElement Config(string reference) =>
        JsonDocument.Parse(ProcessRunner.RunChecked("skopeo", "inspect", "--config", "--raw", "--tls-verify=false", "docker://" + reference).Output).RootElement;

    /// <summary>The tags of a repository, or null when the registry does not know the repository at all (or refuses the credentials).</summary>
    public static IReadOnlyList<string>? Tags(string repository, IReadOnlyList<string>? credentials = null)
    {
        var result = ProcessRunner.Run("skopeo", ["list-tags", "--tls-verify=false", .. credentials ?? [], "docker://" + repository]);
        if (result.ExitCode != 0) return null;
        var tags = JsonDocument.Parse(result.Output).RootElement.GetProperty("Tags");
        return tags.ValueKind == JsonValueKind.Array ? tags.EnumerateArray().Select(t => t.GetString()!).ToList() : [];
    }

    /// <summary>
    /// The image for one platform (<c>linux/amd64</c>, <c>linux/arm64/v8</c>) of the index <paramref name="reference"/>
    /// names, as <c>repository@digest</c>; exactly one entry must have that platform.
    /// </summary>
    public static string ImageFor(string reference, string platform)
    {
        var entry = InspectRaw(reference).GetProperty("manifests").EnumerateArray().Single(m => PlatformOf(m) == platform);
        return $"{RepositoryOf(reference)}@{entry.GetProperty("digest").GetString()}";
    }

    /// <summary>The digest of <see cref="ImageFor"/>'s image.</summary>
    public static string DigestFor(string reference, string platform) => ImageFor(reference, platform).Split('@')[1];

    // registry/repo:tag or registry/repo@digest -> registry/repo (a registry's :port comes before the last '/').
    private static string RepositoryOf(string reference)
    {
        int at = reference.IndexOf('@');
        if (at >= 0) return reference[..at];
        int colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? reference[..colon] : reference;
    }

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();

    public static IReadOnlyList<string> LayerDigests(JsonElement manifest) =>
        manifest.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList();

    public static string PlatformOf(JsonElement descriptor)
    {
        var p = descriptor.GetProperty("platform");
        string s = p.GetProperty("os").GetString() + "/" + p.GetProperty("architecture").GetString();
        return p.TryGetProperty("variant", out var v) ? s + "/" + v.GetString() : s;
    }
}
