using MultiArch.Build.Blobs;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.IntegrationTests.Fixtures;

/// <summary>
/// Tiny images made in the test: random "layers" in a <see cref="BlobStore"/> on disk, a config
/// and a manifest per platform, and an index over them. Registries accept any bytes as layers, so
/// this is enough to check what a push or pull does.
/// </summary>
public sealed class TinyImages : IDisposable
{
    public TinyImages()
    {
        Store = new BlobStore(System.IO.Directory.CreateTempSubdirectory("mab-blobs").FullName);
    }

    public BlobStore Store { get; }

    /// <summary>A gzip stream of <paramref name="size"/> random bytes (real gzip, so tools that sniff compression leave it alone).</summary>
    public Descriptor AddLayer(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(bytes);
        return Store.Put(MediaTypes.OciLayerGzip, compressed.ToArray());
    }

    public ImageArtifact Image(Platform platform, params Descriptor[] layers)
    {
        var config = new ImageConfig
        {
            OS = platform.OS,
            Architecture = platform.Architecture,
            Variant = platform.Variant,
            Config = new ContainerConfig { Cmd = ["/app"] },
            RootFs = new RootFs { DiffIds = layers.Select(l => l.Digest).ToList() },
        };
        var configDescriptor = Store.Put(MediaTypes.OciConfig, OciJson.Serialize(config));
        var manifest = new ImageManifest { MediaType = MediaTypes.OciManifest, Config = configDescriptor, Layers = [.. layers] };
        var blobs = new[] { configDescriptor }.Concat(layers).Select(d => new BlobContent(d, Store)).ToList();
        return new ImageArtifact(manifest, OciJson.Serialize(manifest), platform, blobs);
    }

    public static IndexArtifact Index(params ImageArtifact[] images)
    {
        var index = new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = images.Select(i => i.Descriptor.Clone()).ToList() };
        return new IndexArtifact(index, OciJson.Serialize(index), images);
    }

    /// <summary>linux/amd64 and linux/arm64/v8 sharing one layer, each with one of its own.</summary>
    public IndexArtifact TwoPlatforms(int seed, int layerSize = 64 * 1024)
    {
        var shared = AddLayer(layerSize, seed);
        var amd64 = Image(new Platform { OS = "linux", Architecture = "amd64" }, shared, AddLayer(layerSize, seed + 1));
        var arm64 = Image(new Platform { OS = "linux", Architecture = "arm64", Variant = "v8" }, shared, AddLayer(layerSize, seed + 2));
        return Index(amd64, arm64);
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Store.Root, recursive: true); }
        catch (IOException) { }
    }
}
