using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Indexes;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Push;
using MultiArch.Build.Tests.Registry;
using static MultiArch.Build.Tests.Registry.TestImages;

namespace MultiArch.Build.Tests.Indexes;

/// <summary>Images pushed into a fake registry the way per-architecture CI jobs leave them, and the merge wired to it.</summary>
internal sealed class IndexFixtures : IDisposable
{
    public static readonly Platform Amd64 = new() { OS = "linux", Architecture = "amd64" };
    public static readonly Platform Arm64 = new() { OS = "linux", Architecture = "arm64", Variant = "v8" };
    public static readonly Platform ArmV7 = new() { OS = "linux", Architecture = "arm", Variant = "v7" };

    private readonly MemoryBlobSource _blobs = new();

    public IndexFixtures()
    {
        Client = TestImages.Client(Registry);
    }

    public FakeRegistry Registry { get; } = new();
    public RegistryClient Client { get; }
    public CapturingLog Log { get; } = new();

    /// <summary>Pushes one image by digest (no tag) and returns it.</summary>
    public async Task<ImageArtifact> PushImageAsync(string repository, Platform platform, int seed, ImageFormat format = ImageFormat.Oci)
    {
        var image = format == ImageFormat.Oci ? Image(_blobs, platform, RandomBytes(500, seed)) : DockerImage(platform, seed);
        await new RegistryDestination(Client, Repo(repository)).WriteImageAsync(image, [], CancellationToken.None);
        return image;
    }

    /// <summary>An attestation manifest for <paramref name="subject"/>, as BuildKit writes one, and its index entry.</summary>
    public (ImageArtifact Image, Descriptor Entry) Attestation(ImageArtifact subject, int seed)
    {
        var image = Image(_blobs, new Platform { OS = "unknown", Architecture = "unknown" }, RandomBytes(200, seed));
        var entry = image.Descriptor.Clone();
        entry.Annotations = new StringMap
        {
            [Attestations.ReferenceType] = Attestations.AttestationManifest,
            [Attestations.ReferenceDigest] = subject.Descriptor.Digest.ToString(),
        };
        return (image, entry);
    }

    /// <summary>Pushes an index of images followed by their attestations, tagged.</summary>
    public async Task<IndexArtifact> PushIndexAsync(string repository, string tag, IReadOnlyList<ImageArtifact> images, IReadOnlyList<(ImageArtifact Image, Descriptor Entry)> attestations)
    {
        var index = new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests = [.. images.Select(i => i.Descriptor.Clone()), .. attestations.Select(a => a.Entry.Clone())],
        };
        var artifact = new IndexArtifact(index, OciJson.Serialize(index), [.. images, .. attestations.Select(a => a.Image)]);
        await new RegistryDestination(Client, Repo(repository)).WriteIndexAsync(artifact, [tag], CancellationToken.None);
        return artifact;
    }

    public Task<ContainerIndexResult> MergeAsync(string sources, string repository = "app", bool append = false, params string[] tags) =>
        ContainerIndexing.CreateAsync(
            new ContainerIndexRequest { Sources = sources, Registry = FakeRegistry.Host, Repository = repository, Tags = tags.Length == 0 ? ["1.0"] : tags, Append = append },
            Repo(repository), Client, Client, Log, CancellationToken.None);

    /// <summary>The index a tag names now, as stored.</summary>
    public ImageIndex IndexAt(string repository, string tag) =>
        OciJson.DeserializeIndex(Registry.Manifest(repository, Registry.Tag(repository, tag) ?? throw new InvalidOperationException($"no tag {tag}")).Bytes);

    public static string Ref(string repository, ImageArtifact image) => $"{FakeRegistry.Host}/{repository}@{image.Descriptor.Digest}";

    private ImageArtifact DockerImage(Platform platform, int seed)
    {
        var layer = _blobs.Add(MediaTypes.DockerLayerGzip, RandomBytes(500, seed));
        var config = new ImageConfig { OS = platform.OS, Architecture = platform.Architecture, Variant = platform.Variant, RootFs = new RootFs { DiffIds = [layer.Digest] } };
        var configDescriptor = _blobs.Add(MediaTypes.DockerConfig, OciJson.Serialize(config));
        var manifest = new ImageManifest { MediaType = MediaTypes.DockerManifest, Config = configDescriptor, Layers = [layer] };
        return new ImageArtifact(manifest, OciJson.Serialize(manifest), platform, [new BlobContent(configDescriptor, _blobs), new BlobContent(layer, _blobs)]);
    }

    public void Dispose() => Client.Dispose();
}
