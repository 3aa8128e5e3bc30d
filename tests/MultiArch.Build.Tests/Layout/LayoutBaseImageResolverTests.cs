using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tests.Layout;

public class LayoutBaseImageResolverTests
{
    [Fact]
    public async Task EachPlatformComesFromOneReadOfAnArchivesIndexAndTheUnpackedCopyGoesOnDispose()
    {
        using var temp = new TempFolder();
        string archive = temp.Combine("base.tar");
        var index = await TestImages.BuildIndexAsync(new BlobStore(temp.Combine("store")), "base");
        await new OciArchiveDestination(archive).WriteIndexAsync(index, ["10.0"], default);

        var resolver = new LayoutBaseImageResolver();
        var bases = await resolver.ResolveAsync($"oci:{archive}:10.0", [TestImages.Arm64, new Platform { OS = "linux", Architecture = "amd64" }], default);

        // The platform is the one the base index wrote (arm64 keeps its v8), and each image is that platform's.
        Assert.Equal(["linux/arm64/v8", "linux/amd64"], bases.Select(b => b.Platform!.ToString()));
        Assert.Equal(index.Images.Single(i => i.Descriptor.Platform!.Architecture == "arm64").Manifest.Config.Digest, bases[0].Manifest.Config.Digest);
        var missing = await Assert.ThrowsAsync<MabException>(() => resolver.ResolveAsync($"oci:{archive}:10.0", [new Platform { OS = "linux", Architecture = "s390x" }], default));
        Assert.Equal(ErrorCode.NoMatchingPlatform, missing.Code);

        // The base layers are read from the archive's unpacked copy until the build is done, then it goes.
        string unpacked = Assert.IsType<OciLayoutReader>(bases[0].LayerSource).Root;
        Assert.True(Directory.Exists(unpacked));
        resolver.Dispose();
        Assert.False(Directory.Exists(unpacked));
    }
}
