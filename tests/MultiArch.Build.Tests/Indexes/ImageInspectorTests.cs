using MultiArch.Build.Diagnostics;
using MultiArch.Build.Indexes;
using MultiArch.Build.Oci;
using MultiArch.Build.Tests.Registry;
using static MultiArch.Build.Tests.Indexes.IndexFixtures;

namespace MultiArch.Build.Tests.Indexes;

public class ImageInspectorTests
{
    [Fact]
    public async Task AnIndexIsListedPlatformByPlatformWithAttestationsMarked()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("app", Amd64, 31);
        var arm64 = await f.PushImageAsync("app", Arm64, 32);
        var attestation = f.Attestation(amd64, 33);
        var pushed = await f.PushIndexAsync("app", "1.0", [amd64, arm64], [attestation]);

        var image = await Inspect(f, TestImages.Repo("app").WithTag("1.0"));

        Assert.Equal(pushed.Descriptor.Digest, image.Digest);
        Assert.Equal(MediaTypes.OciIndex, image.MediaType);
        Assert.Equal(["linux/amd64", "linux/arm64/v8", "attestation"], image.Manifests.Select(m => m.Platform));
        Assert.Equal([amd64.ManifestBytes.Length, arm64.ManifestBytes.Length, attestation.Image.ManifestBytes.Length], image.Manifests.Select(m => m.Size));
        Assert.Equal([amd64.Manifest.Layers.Count, arm64.Manifest.Layers.Count, 1], image.Manifests.Select(m => m.LayerCount));
        Assert.Equal(amd64.Descriptor.Digest, image.Manifests[2].Subject);

        var lines = InspectionReport.Format(image).ToList();
        Assert.Contains(lines, l => l.Contains(pushed.Descriptor.Digest.ToString(), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(attestation.Entry.Digest.ToString(), StringComparison.Ordinal) && l.Contains($"(attestation of {amd64.Descriptor.Digest})", StringComparison.Ordinal));
        Assert.Equal(pushed.IndexBytes, System.Text.Encoding.UTF8.GetBytes(InspectionReport.Raw(image)));
    }

    [Fact]
    public async Task ASingleManifestIsOneLineWithThePlatformOfItsConfig()
    {
        using var f = new IndexFixtures();
        var arm64 = await f.PushImageAsync("app", Arm64, 34);

        var image = await Inspect(f, TestImages.Repo("app").WithDigest(arm64.Descriptor.Digest));

        Assert.False(image.IsIndex);
        var only = Assert.Single(image.Manifests);
        Assert.Equal("linux/arm64/v8", only.Platform);
        Assert.Equal(arm64.Descriptor.Digest, only.Digest);
    }

    [Fact]
    public async Task AnIndexWhoseChildIsMissingIsTheSameCodedErrorAsEverywhere()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("app", Amd64, 35);
        var arm64 = await f.PushImageAsync("app", Arm64, 36);
        await f.PushIndexAsync("app", "1.0", [amd64, arm64], []);
        f.Registry.DeleteManifest("app", arm64.Descriptor.Digest);

        var error = await Assert.ThrowsAsync<MabException>(() => Inspect(f, TestImages.Repo("app").WithTag("1.0")));

        Assert.Equal(ErrorCode.ImageIncomplete, error.Code);
        Assert.Contains(arm64.Descriptor.Digest.ToString(), error.Message);
    }

    private static Task<InspectedImage> Inspect(IndexFixtures f, MultiArch.Build.Registry.ImageReference reference) =>
        ImageInspector.InspectAsync(new MultiArch.Build.Images.ImageSourceReader(new MultiArch.Build.Registry.RegistryImageSource(f.Client, reference)), CancellationToken.None);

    [Fact]
    public async Task AnImageThatDoesNotExistIsACodedError()
    {
        using var f = new IndexFixtures();

        var error = await Assert.ThrowsAsync<MabException>(() => Inspect(f, TestImages.Repo("nothing").WithTag("1.0")));

        Assert.Equal(ErrorCode.InspectImageNotFound, error.Code);
    }
}
