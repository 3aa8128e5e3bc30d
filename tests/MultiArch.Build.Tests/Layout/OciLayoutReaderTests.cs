using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tests.Layout;

public class OciLayoutReaderTests
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task ABaseImageFromALayoutBuildsANewImage()
    {
        using var temp = new TempFolder();
        var store = new BlobStore(temp.Combine("store"));
        string baseLayout = temp.Combine("base");
        await new OciLayoutDestination(baseLayout).WriteIndexAsync(await TestImages.BuildIndexAsync(store, "base"), ["base"], default);

        using var source = await LayoutImageSource.OpenAsync($"oci:{baseLayout}:base", default);
        var baseImage = (await BaseImageSelection.SelectAsync(new ImageSourceReader(source), [TestImages.Amd64], default))[0];
        var layer = await TestLayer.CreateAsync(store, "COPY extra /", new TestFile("extra.txt", "extra", TestLayer.Plain));
        var image = ImageBuilder.Build(baseImage, [layer], new ImageConfigEdits { Cmd = ["--verbose"] });
        string layout = temp.Combine("derived");
        await new OciLayoutDestination(layout).WriteImageAsync(image, ["derived"], default);

        ExternalTool.ValidateLayout(layout, "derived");
        string bundle = temp.Combine("bundle");
        ExternalTool.UmociUnpack(layout, "derived", bundle);
        Assert.Equal("marker=base-amd64\n", File.ReadAllText(Path.Combine(bundle, "rootfs/app/config.txt")));
        Assert.Equal("extra", File.ReadAllText(Path.Combine(bundle, "rootfs/extra.txt")));
        Assert.Equal(TestLayer.Executable, File.GetUnixFileMode(Path.Combine(bundle, "rootfs/app/run.sh")));
    }

    [Fact]
    public async Task ErrorsAreCoded()
    {
        using var temp = new TempFolder();
        var missing = await Assert.ThrowsAsync<MabException>(() => OciLayoutReader.OpenAsync(temp.Combine("nothing")));
        Assert.Equal(ErrorCode.LayoutNotFound, missing.Code);

        var notLayout = await Assert.ThrowsAsync<MabException>(() => OciLayoutReader.OpenAsync(temp.Path));
        Assert.Equal(ErrorCode.NotAnOciLayout, notLayout.Code);

        File.WriteAllText(temp.Combine("junk.tar"), "this is not a tar archive, it is far too short and has no headers");
        var notTar = await Assert.ThrowsAsync<MabException>(() => OciLayoutReader.OpenAsync(temp.Combine("junk.tar")));
        Assert.Equal(ErrorCode.InvalidLayoutArchive, notTar.Code);

        string layout = temp.Combine("layout");
        var image = await TestImages.BuildAsync(new BlobStore(temp.Combine("store")), TestImages.Amd64, "x");
        await new OciLayoutDestination(layout).WriteImageAsync(image, ["x"], default);
        using (var named = await LayoutImageSource.OpenAsync($"oci:{layout}:y", default))
        {
            Assert.Null(await named.TryGetTopAsync(default));
            Assert.Contains("has no image named 'y' (it has: x)", named.DescribeWhereMissing());
        }
        using var reader = await OciLayoutReader.OpenAsync(layout);

        string configPath = Path.Combine(layout, "blobs", "sha256", image.Manifest.Config.Digest.Hex);
        byte[] config = File.ReadAllBytes(configPath);
        config[^2] ^= 0x01;
        File.WriteAllBytes(configPath, config);
        Assert.Equal(ErrorCode.LayoutBlobCorrupt, Assert.Throws<MabException>(() => reader.ReadConfig(image.Manifest.Config)).Code);

        File.Delete(configPath);
        Assert.Equal(ErrorCode.LayoutBlobMissing, Assert.Throws<MabException>(() => reader.ReadConfig(image.Manifest.Config)).Code);
    }

    [Fact]
    public async Task TheValidatorCatchesALayoutWithAMissingBlob()
    {
        // Proves the oci-image-tool checks above can fail: the same layout minus one layer is rejected.
        using var temp = new TempFolder();
        string layout = temp.Combine("layout");
        var image = await TestImages.BuildAsync(new BlobStore(temp.Combine("store")), TestImages.Amd64, "x");
        await new OciLayoutDestination(layout).WriteImageAsync(image, ["x"], default);
        ExternalTool.ValidateLayout(layout, "x");

        var layer = image.Manifest.Layers[0].Digest;
        File.Delete(Path.Combine(layout, "blobs", layer.Algorithm, layer.Hex));
        var result = ProcessRunner.Run("oci-image-tool", ["validate", "--type", "image", "--ref", "name=x", layout]);
        Assert.True(result.ExitCode != 0, result.ToString());
    }

    [Fact]
    public async Task AnArchiveReaderRemovesItsUnpackedCopyOnDispose()
    {
        using var temp = new TempFolder();
        string archive = temp.Combine("image.tar");
        var image = await TestImages.BuildAsync(new BlobStore(temp.Combine("store")), TestImages.Amd64, "x");
        await new OciArchiveDestination(archive).WriteImageAsync(image, ["x"], default);

        var source = await LayoutImageSource.OpenAsync($"oci:{archive}:x", default);
        var top = await source.TryGetTopAsync(default);
        Assert.Equal(image.Descriptor.Digest, top!.Digest);
        string unpacked = Assert.IsType<OciLayoutReader>(source.Blobs).Root;
        source.Dispose();
        Assert.False(Directory.Exists(unpacked));
        Assert.True(File.Exists(archive));
    }
}
