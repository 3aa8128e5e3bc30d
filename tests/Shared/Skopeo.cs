using System.Security.Cryptography;
using System.Text.Json;

namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>Reads what is in the registry with skopeo, an independent client.</summary>
public static class Skopeo
{
    public static byte[] InspectRawBytes(string reference) =>
        System.Text.Encoding.UTF8.GetBytes(ProcessRunner.RunChecked("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + reference).Output);

    public static JsonElement InspectRaw(string reference) => JsonDocument.Parse(InspectRawBytes(reference)).RootElement;

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
