using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// A copy of a seeded base image in an OCI layout (written by skopeo) whose arm64 config has no variant
/// while its index entry still says linux/arm64/v8, as many real base images are. Tag <c>10.0</c> names the
/// index and tag <c>arm64</c> the arm64 image alone.
/// </summary>
public sealed class VariantlessBaseLayout
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private VariantlessBaseLayout(string path, string arm64Digest)
    {
        Path = path;
        Arm64Digest = arm64Digest;
    }

    public string Path { get; }

    /// <summary>The arm64 image whose config says linux/arm64.</summary>
    public string Arm64Digest { get; }

    /// <summary>The base reference for ContainerBaseImage.</summary>
    public string Reference => $"oci:{Path}:10.0";

    public static VariantlessBaseLayout Make(string baseImage, string path)
    {
        ProcessRunner.RunChecked("skopeo", "copy", "--all", "--preserve-digests", "--src-tls-verify=false", "docker://" + baseImage, $"oci:{path}:10.0");
        var layoutIndex = ReadJson(System.IO.Path.Combine(path, "index.json"));
        var top = layoutIndex["manifests"]!.AsArray().Single()!;
        var index = ReadBlob(path, top);
        var entry = index["manifests"]!.AsArray().Single(m => (string?)m!["platform"]!["architecture"] == "arm64")!;
        Assert.Equal("v8", (string?)entry["platform"]!["variant"]);

        var manifest = ReadBlob(path, entry);
        var config = ReadBlob(path, manifest["config"]!);
        Assert.True(config.AsObject().Remove("variant"), "the seeded arm64 config should carry variant v8");
        WriteBlob(path, manifest["config"]!, config);
        WriteBlob(path, entry, manifest);
        WriteBlob(path, top, index);

        var arm64 = entry.DeepClone();
        arm64["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = "arm64" };
        arm64.AsObject().Remove("platform");
        layoutIndex["manifests"]!.AsArray().Add(arm64);
        File.WriteAllText(System.IO.Path.Combine(path, "index.json"), layoutIndex.ToJsonString(Compact));
        return new VariantlessBaseLayout(path, (string)entry["digest"]!);
    }

    private static JsonNode ReadJson(string file) => JsonNode.Parse(File.ReadAllBytes(file))!;

    private static JsonNode ReadBlob(string layout, JsonNode descriptor) =>
        ReadJson(System.IO.Path.Combine(layout, "blobs", "sha256", ((string)descriptor["digest"]!)["sha256:".Length..]));

    /// <summary>Stores <paramref name="content"/> as a blob and points <paramref name="descriptor"/> at it.</summary>
    private static void WriteBlob(string layout, JsonNode descriptor, JsonNode content)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(content.ToJsonString(Compact));
        string hex = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        File.WriteAllBytes(System.IO.Path.Combine(layout, "blobs", "sha256", hex), bytes);
        descriptor["digest"] = "sha256:" + hex;
        descriptor["size"] = bytes.Length;
    }
}
