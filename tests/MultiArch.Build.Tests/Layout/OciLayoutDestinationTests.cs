using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Layout;

public class OciLayoutDestinationTests
{
    [Fact]
    public async Task IndexOfTwoImagesIsAValidLayout()
    {
        using var temp = new TempFolder();
        var index = await TestImages.BuildIndexAsync(new BlobStore(temp.Combine("store")), "v1");
        string layout = temp.Combine("layout");

        var result = await new OciLayoutDestination(layout).WriteIndexAsync(index, ["1.0", "latest"], default);

        Assert.Equal([$"oci:{layout}:1.0", $"oci:{layout}:latest"], result.References);
        Assert.True(result.BytesWritten > 0);
        Assert.Equal("""{"imageLayoutVersion":"1.0.0"}""", File.ReadAllText(Path.Combine(layout, "oci-layout")));
        var validation = ExternalTool.ValidateLayout(layout);
        Assert.Contains("Validation succeeded", validation.All);
        ExternalTool.ValidateLayout(layout, "latest");
        // This oci-image-tool validates a ref only as far as a manifest; check the index and each image's documents too.
        ExternalTool.ValidateBlob(layout, "imageIndex", index.Descriptor);
        foreach (var image in index.Images)
        {
            ExternalTool.ValidateBlob(layout, "manifest", image.Descriptor);
            ExternalTool.ValidateBlob(layout, "config", image.Manifest.Config);
        }
        await LayoutAssert.CompleteAsync(layout);
    }

    [Fact]
    public async Task AFolderGivenWithATrailingSlashIsReferencedWithoutIt()
    {
        using var temp = new TempFolder();
        string layout = temp.Combine("container-image");
        var image = await TestImages.BuildAsync(new BlobStore(temp.Combine("store")), TestImages.Amd64, "slash");

        var result = await new OciLayoutDestination(layout + "/").WriteImageAsync(image, ["latest"], default);

        Assert.Equal([$"oci:{layout}:latest"], result.References);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task UmociUnpacksTheFilesWithTheirModes()
    {
        using var temp = new TempFolder();
        var image = await TestImages.BuildAsync(new BlobStore(temp.Combine("store")), TestImages.Arm64, "modes");
        string layout = temp.Combine("layout");
        await new OciLayoutDestination(layout).WriteImageAsync(image, ["arm64"], default);

        string bundle = temp.Combine("bundle");
        ExternalTool.UmociUnpack(layout, "arm64", bundle);

        string rootfs = Path.Combine(bundle, "rootfs");
        Assert.Equal("#!/bin/sh\necho modes\n", File.ReadAllText(Path.Combine(rootfs, "app/run.sh")));
        Assert.Equal("marker=modes\n", File.ReadAllText(Path.Combine(rootfs, "app/config.txt")));
        Assert.Equal(TestLayer.Executable, File.GetUnixFileMode(Path.Combine(rootfs, "app/run.sh")));
        Assert.Equal(TestLayer.Plain, File.GetUnixFileMode(Path.Combine(rootfs, "app/config.txt")));
    }

    [Fact]
    public async Task WritingIntoALayoutKeepsOtherRefsAndReplacesTheSameRef()
    {
        using var temp = new TempFolder();
        var store = new BlobStore(temp.Combine("store"));
        string layout = temp.Combine("layout");
        var destination = new OciLayoutDestination(layout);
        var first = await TestImages.BuildAsync(store, TestImages.Amd64, "first");
        var second = await TestImages.BuildAsync(store, TestImages.Amd64, "second");
        var third = await TestImages.BuildIndexAsync(store, "third");

        await destination.WriteImageAsync(first, ["a"], default);
        await destination.WriteImageAsync(second, ["b"], default);
        await destination.WriteIndexAsync(third, ["a"], default);
        var again = await destination.WriteImageAsync(second, [], default);

        using var reader = await OciLayoutReader.OpenAsync(layout);
        Assert.Equal(["a", "b"], reader.RefNames);
        Assert.Equal(third.Descriptor.Digest, reader.Find("a")!.Digest);
        Assert.Equal(MediaTypes.OciIndex, reader.Find("a")!.MediaType);
        Assert.Equal(second.Descriptor.Digest, reader.Find("b")!.Digest);
        Assert.Equal(3, reader.Index.Manifests.Count); // the untagged entry for 'second'
        Assert.Equal(0, again.BytesWritten);
        Assert.Equal(second.Blobs.Sum(b => b.Descriptor.Size) + second.ManifestBytes.Length, again.BytesSkipped);
        await LayoutAssert.CompleteAsync(layout);
        ExternalTool.ValidateLayout(layout);
        ExternalTool.ValidateLayout(layout, "b");
    }

    [Fact]
    public async Task AFailedFirstWriteLeavesNoIndex()
    {
        using var temp = new TempFolder();
        string layout = temp.Combine("layout");
        var image = await ImageWithBrokenLayerAsync(new BlobStore(temp.Combine("store")));

        await Assert.ThrowsAsync<IOException>(() => new OciLayoutDestination(layout).WriteImageAsync(image, ["broken"], default));

        // A new layout that fails is removed again: no oci-layout, no stray blobs, no temp files.
        Assert.False(Directory.Exists(layout));
    }

    [Fact]
    public async Task AFailedWriteLeavesTheExistingIndexUnchangedAndComplete()
    {
        using var temp = new TempFolder();
        var store = new BlobStore(temp.Combine("store"));
        string layout = temp.Combine("layout");
        await new OciLayoutDestination(layout).WriteIndexAsync(await TestImages.BuildIndexAsync(store, "good"), ["latest"], default);
        byte[] before = File.ReadAllBytes(Path.Combine(layout, "index.json"));

        var broken = TestImages.Index(await TestImages.BuildAsync(store, TestImages.Amd64, "new"), await ImageWithBrokenLayerAsync(store));
        await Assert.ThrowsAsync<IOException>(() => new OciLayoutDestination(layout).WriteIndexAsync(broken, ["latest"], default));

        Assert.Equal(before, File.ReadAllBytes(Path.Combine(layout, "index.json")));
        Assert.False(File.Exists(Path.Combine(layout, "blobs", broken.Descriptor.Digest.Algorithm, broken.Descriptor.Digest.Hex)));
        await LayoutAssert.CompleteAsync(layout);
    }

    [Fact]
    public async Task BadTagsAndForeignFoldersAreRefused()
    {
        using var temp = new TempFolder();
        var image = await TestImages.BuildAsync(new BlobStore(temp.Combine("store")), TestImages.Amd64, "x");
        var bad = await Assert.ThrowsAsync<MabException>(() => new OciLayoutDestination(temp.Combine("layout")).WriteImageAsync(image, ["-bad tag"], default));
        Assert.Equal(ErrorCode.InvalidRefName, bad.Code);

        File.WriteAllText(temp.Combine("notes.txt"), "not a layout");
        var foreign = await Assert.ThrowsAsync<MabException>(() => new OciLayoutDestination(temp.Path).WriteImageAsync(image, ["x"], default));
        Assert.Equal(ErrorCode.NotAnOciLayout, foreign.Code);
    }

    /// <summary>A scratch image with one real layer and one whose source breaks mid-read.</summary>
    internal static async Task<ImageArtifact> ImageWithBrokenLayerAsync(BlobStore store)
    {
        var good = await TestLayer.CreateAsync(store, "COPY good /", new TestFile("good.txt", "good", TestLayer.Plain));
        byte[] missing = "bytes the broken source never delivers"u8.ToArray();
        var broken = new NewLayer(Descriptor.For(MediaTypes.OciLayerGzip, missing), Digest.Compute("diff"u8), new FailingBlobSource(), "COPY broken /");
        return ImageBuilder.Build(Tests.Images.TestBases.Scratch(TestImages.Arm64), [good, broken], new ImageConfigEdits());
    }
}
