using System.Text;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;

namespace MultiArch.Build.Tests.Registry;

/// <summary>Small images with random layers, and clients wired to a fake registry.</summary>
internal static class TestImages
{
    public static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static ImageArtifact Image(MemoryBlobSource blobs, Platform platform, params byte[][] layers)
    {
        var layerDescriptors = layers.Select(l => blobs.Add(MediaTypes.OciLayerGzip, l)).ToList();
        var config = new ImageConfig
        {
            OS = platform.OS,
            Architecture = platform.Architecture,
            Variant = platform.Variant,
            RootFs = new RootFs { DiffIds = layerDescriptors.Select(d => d.Digest).ToList() },
        };
        var configDescriptor = blobs.Add(MediaTypes.OciConfig, OciJson.Serialize(config));
        var manifest = new ImageManifest { MediaType = MediaTypes.OciManifest, Config = configDescriptor, Layers = layerDescriptors };
        var blobContents = new[] { configDescriptor }.Concat(layerDescriptors).Select(d => new BlobContent(d, blobs)).ToList();
        return new ImageArtifact(manifest, OciJson.Serialize(manifest), platform, blobContents);
    }

    public static IndexArtifact Index(params ImageArtifact[] images)
    {
        var index = new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = images.Select(i => i.Descriptor.Clone()).ToList() };
        return new IndexArtifact(index, OciJson.Serialize(index), images);
    }

    public static IndexArtifact TwoPlatformIndex(MemoryBlobSource blobs, int seed, int layerSize = 3000)
    {
        var shared = RandomBytes(layerSize, seed);
        var amd64 = Image(blobs, new Platform { OS = "linux", Architecture = "amd64" }, shared, RandomBytes(layerSize, seed + 1));
        var arm64 = Image(blobs, new Platform { OS = "linux", Architecture = "arm64", Variant = "v8" }, shared, RandomBytes(layerSize, seed + 2));
        return Index(amd64, arm64);
    }

    public static RegistryOptions Options(FakeRegistry registry, List<TimeSpan>? delays = null, IBuildLog? log = null, IReadOnlyDictionary<string, string>? environment = null) => new()
    {
        Handler = registry,
        Delay = (delay, _) => { if (delays is not null) lock (delays) delays.Add(delay); return Task.CompletedTask; },
        Environment = RegistryEnvironment.From(environment ?? new Dictionary<string, string>()),
        Log = log ?? NullBuildLog.Instance,
        RetryBaseDelay = TimeSpan.FromMilliseconds(100),
    };

    public static RegistryClient Client(FakeRegistry registry, List<TimeSpan>? delays = null, IBuildLog? log = null, IReadOnlyDictionary<string, string>? environment = null, CredentialPurpose purpose = CredentialPurpose.Push) =>
        new(Options(registry, delays, log, environment), purpose);

    public static ImageReference Repo(string repository) => new(FakeRegistry.Host, repository);

    /// <summary>Asserts the registry holds the whole index: every blob, every manifest, the index, and the tag on the index.</summary>
    public static void AssertComplete(FakeRegistry registry, string repository, IndexArtifact index, string? tag)
    {
        foreach (var image in index.Images)
        {
            Assert.True(registry.HasManifest(repository, image.Descriptor.Digest), $"manifest {image.Descriptor.Digest}");
            foreach (var blob in image.Blobs)
            {
                var stored = registry.Blob(repository, blob.Descriptor.Digest);
                Assert.NotNull(stored);
                Assert.Equal(blob.Descriptor.Digest, Digest.Compute(stored));
            }
        }
        Assert.True(registry.HasManifest(repository, index.Descriptor.Digest), "index");
        Assert.Equal(index.IndexBytes, registry.Manifest(repository, index.Descriptor.Digest).Bytes);
        if (tag is not null) Assert.Equal(index.Descriptor.Digest, registry.Tag(repository, tag));
    }
}

/// <summary>Captures every log line, to assert on content and on secrets never written.</summary>
internal sealed class CapturingLog : IBuildLog
{
    public List<string> Lines { get; } = [];

    public void Write(BuildLogLevel level, string message)
    {
        lock (Lines) Lines.Add($"{level}: {message}");
    }

    public string All { get { lock (Lines) return string.Join('\n', Lines); } }
}
