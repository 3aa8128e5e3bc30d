using MultiArch.Build.Blobs;
using MultiArch.Build.Images;
using MultiArch.Build.Layers;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;
using MultiArch.Build.Tests.Images;

namespace MultiArch.Build.Tests.Publishing;

/// <summary>Split layers through the factory: two platform publishes that share package bytes share that layer.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PlatformImageFactoryLayerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mab-pif-" + Guid.NewGuid().ToString("N"));
    private readonly BlobStore _blobs;

    public PlatformImageFactoryLayerTests()
    {
        _blobs = new BlobStore(Path.Combine(_root, "blobs"));
    }

    private PublishedPlatform Publish(string rid, string appBytes)
    {
        string dir = Path.Combine(_root, rid);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "App.dll"), appBytes);
        File.WriteAllText(Path.Combine(dir, "App.deps.json"), "{\"runtimeTarget\":\"" + rid + "\"}");
        File.WriteAllText(Path.Combine(dir, "Newtonsoft.Json.dll"), "the same managed package on every platform");
        File.WriteAllText(Path.Combine(dir, "libnative.so"), "native code for " + rid);
        foreach (string file in Directory.GetFiles(dir)) File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
        return new PublishedPlatform(new PlatformTarget(RidPlatformTable.GetPlatform(rid), rid), "base", dir,
        [
            new(Path.Combine(dir, "App.dll"), "App.dll"),
            new(Path.Combine(dir, "App.deps.json"), "App.deps.json"),
            new(Path.Combine(dir, "Newtonsoft.Json.dll"), "Newtonsoft.Json.dll", "Newtonsoft.Json", "runtime"),
            new(Path.Combine(dir, "libnative.so"), "libnative.so", "Native.Pkg", "native"),
        ]);
    }

    private async Task<ImageArtifact> Build(PlatformImageFactory factory, PublishedPlatform platform)
    {
        var request = new ContainerPublishRequest
        {
            Platforms = [platform],
            Destination = new ImageDestinationSpec { Repository = "app", LayoutPath = Path.Combine(_root, "layout") },
            BlobCacheDirectory = _blobs.Root,
        };
        var baseImage = TestBases.Make(ImageFormat.Oci, new MemoryBlobSource(), platform.Target.Platform);
        return await factory.BuildAsync(request, platform, baseImage, CancellationToken.None);
    }

    private static IReadOnlyList<Descriptor> NewLayers(ImageArtifact image) => image.Manifest.Layers.Skip(2).ToList(); // after the two base layers

    [Fact]
    public async Task SplitLayersShareTheManagedPackagesAcrossPlatforms()
    {
        var factory = new PlatformImageFactory(_blobs, LayerStrategy.Split, new LayerWriter());

        var x64 = NewLayers(await Build(factory, Publish("linux-x64", "x64 IL")));
        var arm64 = NewLayers(await Build(factory, Publish("linux-arm64", "arm64 IL")));

        Assert.Equal(3, x64.Count); // packages, platform-packages, app
        Assert.Equal(x64[0].Digest, arm64[0].Digest);
        Assert.NotEqual(x64[1].Digest, arm64[1].Digest);
        Assert.NotEqual(x64[2].Digest, arm64[2].Digest);
    }

    [Fact]
    public async Task HistoryNamesEachLayer()
    {
        var factory = new PlatformImageFactory(_blobs, LayerStrategy.Split, new LayerWriter());
        var image = await Build(factory, Publish("linux-x64", "IL"));

        var configBlob = image.Blobs.Single(b => b.Descriptor.Digest == image.Manifest.Config.Digest);
        await using var stream = await configBlob.Source.OpenReadAsync(configBlob.Descriptor, CancellationToken.None);
        using var reader = new MemoryStream();
        await stream.CopyToAsync(reader);
        var config = OciJson.DeserializeConfig(reader.ToArray());

        Assert.Equal(["multiarch.build.packages", "multiarch.build.platform-packages", "multiarch.build.app"],
            config.History!.TakeLast(3).Select(h => h.Comment));
    }

    [Fact]
    public async Task SingleStrategyMakesOneLayer()
    {
        var factory = new PlatformImageFactory(_blobs, LayerStrategy.Single, new LayerWriter());

        var layers = NewLayers(await Build(factory, Publish("linux-x64", "IL")));

        Assert.Single(layers);
    }

    [Fact]
    public async Task ACodeChangeRewritesOnlyTheAppLayer()
    {
        var factory = new PlatformImageFactory(_blobs, LayerStrategy.Split, new LayerWriter(), new LayerCache(Path.Combine(_root, "layers"), _blobs));

        var before = NewLayers(await Build(factory, Publish("linux-x64", "IL v1")));
        var after = NewLayers(await Build(factory, Publish("linux-x64", "IL v2")));

        Assert.Equal(before.Take(2).Select(l => l.Digest), after.Take(2).Select(l => l.Digest));
        Assert.NotEqual(before[2].Digest, after[2].Digest);
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
