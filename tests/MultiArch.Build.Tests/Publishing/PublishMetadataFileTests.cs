using System.Text.Json;
using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;
using MultiArch.Build.Sbom;
using MultiArch.Build.Tests.Layers;

namespace MultiArch.Build.Tests.Publishing;

/// <summary>ContainerMetadataFile: what a CI step reads after the publish, an image's SBOM included when one was made.</summary>
public class PublishMetadataFileTests
{
    [Fact]
    public void EachManifestNamesItsSbomAndAnImageWithoutOneHasNoSbomKey()
    {
        using var folder = new ScratchFolder();
        var index = Descriptor.For(MediaTypes.OciIndex, "{\"i\":1}"u8.ToArray());
        var amd64 = Descriptor.For(MediaTypes.OciManifest, "{\"a\":1}"u8.ToArray());
        var arm64 = Descriptor.For(MediaTypes.OciManifest, "{\"b\":1}"u8.ToArray());
        var referrer = Descriptor.For(MediaTypes.OciManifest, "{\"r\":1}"u8.ToArray());
        var document = Digest.Compute("{\"spdxVersion\":\"SPDX-2.3\"}"u8);
        var result = new ContainerPublishResult(index,
            [
                new PlatformImageResult("linux/amd64", "linux-x64", amd64, "base:1", 3, 100, new SbomWritten(SbomStorage.Referrers, referrer, document)),
                new PlatformImageResult("linux/arm64/v8", "linux-arm64", arm64, "base:1", 3, 100),
            ],
            ["reg/app:1"], 10, 20);
        string path = folder.Combine("out", "image.json");

        PublishMetadataFile.Write(path, result);

        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        Assert.Equal(index.Digest.ToString(), json.RootElement.GetProperty("indexDigest").GetString());
        var manifests = json.RootElement.GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal([amd64.Digest.ToString(), arm64.Digest.ToString()], manifests.Select(m => m.GetProperty("digest").GetString()));
        var sbom = manifests[0].GetProperty("sbom");
        Assert.Equal("referrers", sbom.GetProperty("storage").GetString());
        Assert.Equal(referrer.Digest.ToString(), sbom.GetProperty("digest").GetString());
        Assert.Equal(MediaTypes.OciManifest, sbom.GetProperty("mediaType").GetString());
        Assert.Equal(referrer.Size, sbom.GetProperty("size").GetInt64());
        Assert.Equal(document.ToString(), sbom.GetProperty("documentDigest").GetString());
        Assert.False(manifests[1].TryGetProperty("sbom", out _));
        Assert.False(File.Exists(path + ".tmp"));
    }
}
