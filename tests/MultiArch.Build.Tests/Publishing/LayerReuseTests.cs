using System.IO.Compression;
using System.Net;
using MultiArch.Build.Blobs;
using MultiArch.Build.Images;
using MultiArch.Build.Layers;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Registry.Push;
using MultiArch.Build.Sources;
using MultiArch.Build.Tests.Registry;
using static MultiArch.Build.Tests.Registry.TestImages;

namespace MultiArch.Build.Tests.Publishing;

/// <summary>
/// A layer whose tar the destination (or the user's layer cache) already holds is not compressed again: publishes
/// from a fresh checkout (no obj/) against the in-process registry and a layout. Every case the destination cannot
/// help with — a new tag, refused reads, another media-type family, another compression, a blob that vanished — falls
/// back to compressing, and the publish succeeds.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LayerReuseTests : IDisposable
{
    private static readonly Platform Amd64 = new() { OS = "linux", Architecture = "amd64" };
    private static readonly Platform Arm64 = new() { OS = "linux", Architecture = "arm64", Variant = "v8" };
    private const string Reused = "reused without compressing";

    private readonly FakeRegistry _registry = new();
    private readonly TempFolder _temp = new();
    private int _checkouts;

    public LayerReuseTests()
    {
        var blobs = new MemoryBlobSource();
        var baseIndex = TwoPlatformIndex(blobs, seed: 700, layerSize: 4_000);
        foreach (var image in baseIndex.Images)
        {
            foreach (var blob in image.Blobs)
            {
                using var content = blobs.OpenReadAsync(blob.Descriptor, CancellationToken.None).Result;
                using var bytes = new MemoryStream();
                content.CopyTo(bytes);
                _registry.PutBlob("base", bytes.ToArray());
            }
            _registry.PutManifest("base", image.Descriptor.MediaType, image.ManifestBytes);
        }
        _registry.PutManifest("base", baseIndex.Descriptor.MediaType, baseIndex.IndexBytes, "1.0");
        WriteApp("v1");
    }

    /// <summary>The publish folder: a 2 MiB package assembly (its own layer) and the app.</summary>
    private void WriteApp(string version)
    {
        string dir = _temp.Combine("publish");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "Some.Package.dll"), RandomBytes(2 << 20, seed: 5));
        File.WriteAllText(Path.Combine(dir, "App.dll"), "app " + version);
        foreach (string file in Directory.GetFiles(dir)) File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
    }

    private sealed record Options
    {
        public string? Layout { get; init; }
        public LayerCompression Compression { get; init; } = LayerCompression.Gzip;
        public CompressionLevel Level { get; init; } = CompressionLevel.Optimal;
        public ImageFormat? Format { get; init; }
        public string? UserCache { get; init; }
        public string Repository { get; init; } = "app";
        public Action<PlatformImageFactory>? BeforePublish { get; init; }
        /// <summary>The checkout to publish from again (its obj/ as the last publish left it); null: a fresh one.</summary>
        public string? Checkout { get; init; }
    }

    private sealed record Outcome(ContainerPublishResult Result, CapturingLog Log, BlobStore ObjBlobs)
    {
        public int ReusedCount => Log.Lines.Count(l => l.Contains(Reused, StringComparison.Ordinal));
        public int WrittenCount => Log.Lines.Count(l => l.EndsWith(": written", StringComparison.Ordinal));
    }

    /// <summary>One publish from a checkout of its own (fresh obj/ folders), through the same wiring as ContainerPublishing.RunAsync.</summary>
    private async Task<Outcome> PublishAsync(Options? options = null)
    {
        options ??= new Options();
        var log = new CapturingLog();
        string obj = _temp.Combine(options.Checkout ?? "checkout" + ++_checkouts, "obj");
        var spec = options.Layout is null
            ? new ImageDestinationSpec { Registry = FakeRegistry.Host, Repository = options.Repository, Tags = ["1.0"] }
            : new ImageDestinationSpec { Repository = options.Repository, LayoutPath = options.Layout, Tags = ["1.0"] };
        var files = new[]
        {
            new PublishedFile(_temp.Combine("publish", "App.dll"), "App.dll"),
            new PublishedFile(_temp.Combine("publish", "Some.Package.dll"), "Some.Package.dll", "Some.Package", "runtime"),
        };
        var request = new ContainerPublishRequest
        {
            Platforms =
            [
                new PublishedPlatform(new PlatformTarget(Amd64, "linux-x64"), $"{FakeRegistry.Host}/base:1.0", _temp.Combine("publish"), files),
                new PublishedPlatform(new PlatformTarget(Arm64, "linux-arm64"), $"{FakeRegistry.Host}/base:1.0", _temp.Combine("publish"), files),
            ],
            Destination = spec,
            BlobCacheDirectory = Path.Combine(obj, "blobs"),
            LayerCacheDirectory = Path.Combine(obj, "layers"),
            LayerCompression = options.Compression,
            Format = options.Format,
            Execution = new ExecutionArgs { AssemblyName = "App", TargetFileName = "App.dll" },
            Edits = new ImageConfigEdits { Created = DateTimeOffset.UnixEpoch },
        };

        using var pull = Client(_registry, log: log, purpose: CredentialPurpose.Pull);
        using var push = Client(_registry, log: log);
        using var bases = new ImageSources(pull);
        using var destinationImages = new ImageSources(push);
        var blobs = new BlobStore(request.BlobCacheDirectory);
        var userCache = options.UserCache is null ? null : new UserLayerCache(options.UserCache);
        var reuse = LayerReuse.For(spec, destinationImages, push, userCache, log);
        var writer = new LayerWriter(new LayerWriterOptions { Compression = options.Compression, CompressionLevel = options.Level });
        var factory = new PlatformImageFactory(blobs, LayerStrategy.Split, writer, new LayerCache(request.LayerCacheDirectory, blobs), log, reuse);
        options.BeforePublish?.Invoke(factory);
        IImageDestination destination = options.Layout is null ? new RegistryDestination(push, Repo(options.Repository)) : new OciLayoutDestination(options.Layout);
        var result = await new ContainerPublisher(bases, destination, factory, log).PublishAsync(request, CancellationToken.None);
        return new Outcome(result, log, blobs);
    }

    /// <summary>The digests of the layers this product added to the amd64 image (after the base's two).</summary>
    private IReadOnlyList<Descriptor> NewLayers(Outcome outcome, string repository = "app")
    {
        var manifest = OciJson.DeserializeManifest(_registry.Manifest(repository, outcome.Result.Images[0].Manifest.Digest).Bytes);
        return manifest.Layers.Skip(2).ToList();
    }

    [Fact]
    public async Task AFreshCheckoutTakesTheLayersTheDestinationHoldsAndUploadsOnlyTheChange()
    {
        var first = await PublishAsync();
        WriteApp("v2");

        var second = await PublishAsync();

        Assert.Equal(0, first.ReusedCount);
        var before = NewLayers(first);
        var after = NewLayers(second);
        Assert.Equal(before[0], after[0], DescriptorEquality.Instance);
        Assert.NotEqual(before[1].Digest, after[1].Digest);
        // The packages layer of both platforms came from the registry: not compressed, not even in this checkout's blobs.
        Assert.Equal(2, second.ReusedCount);
        Assert.False(second.ObjBlobs.Contains(after[0].Digest));
        Assert.Contains(second.Log.Lines, l => l.Contains($"packages layer {after[0].Digest}", StringComparison.Ordinal) && l.Contains("the destination fake.registry.test/app:1.0", StringComparison.Ordinal));
        // Uploaded: the new app layer and the two configs (one per platform), nothing else.
        var configs = second.Result.Images.Select(i => OciJson.DeserializeManifest(_registry.Manifest("app", i.Manifest.Digest).Bytes).Config.Size).Sum();
        Assert.Equal(after[1].Size + configs, second.Result.BytesUploaded);
    }

    [Fact]
    public async Task AnUnchangedFreshCheckoutGivesTheSameIndexDigestAndUploadsNothing()
    {
        var first = await PublishAsync();

        var again = await PublishAsync();

        Assert.Equal(first.Result.Index!.Digest, again.Result.Index!.Digest);
        Assert.Equal(0, again.Result.BytesUploaded);
        Assert.Equal(4, again.ReusedCount); // two layers on each of two platforms
        Assert.Equal(0, again.WrittenCount);
    }

    [Fact]
    public async Task ALayerFoundInTheDestinationKeepsItsDigestWhateverThisMachineWouldCompress()
    {
        // Another machine pushed layers compressed differently (here: gzip level 1 instead of 6); same tars, other blobs.
        var elsewhere = await PublishAsync(new Options { Level = CompressionLevel.Fastest });
        var local = await PublishAsync(new Options { Repository = "local" });
        Assert.NotEqual(NewLayers(elsewhere)[0].Digest, NewLayers(local, "local")[0].Digest);

        var here = await PublishAsync();

        Assert.Equal(elsewhere.Result.Index!.Digest, here.Result.Index!.Digest);
        Assert.Equal(0, here.Result.BytesUploaded);
    }

    [Fact]
    public async Task APublishToANewTagHashesNothingMoreAndWritesItsLayers()
    {
        var outcome = await PublishAsync();

        // Both platforms share each layer: written once, or twice when both build it at the same moment.
        Assert.InRange(outcome.WrittenCount, 2, 4);
        Assert.Equal(0, outcome.ReusedCount);
        Assert.DoesNotContain(outcome.Log.Lines, l => l.Contains("Could not read", StringComparison.Ordinal));
        // The only read of the target was the tag itself (not there yet); no blob of it was asked for.
        Assert.DoesNotContain(_registry.Requests, r => r.PathAndQuery.StartsWith("/v2/app/blobs/sha256:", StringComparison.Ordinal) && r.Method == "GET");
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.Unauthorized)]
    public async Task ARegistryThatRefusesReadsOfTheTargetGetsItsLayersCompressed(HttpStatusCode refusal)
    {
        var first = await PublishAsync();
        _registry.AddFault(new Fault { Method = "GET", PathContains = "/v2/app/manifests/1.0", Status = refusal, Remaining = 100 });
        _registry.AddFault(new Fault { Method = "HEAD", PathContains = "/v2/app/manifests/1.0", Status = refusal, Remaining = 100 });

        var again = await PublishAsync();

        Assert.Equal(0, again.ReusedCount);
        Assert.InRange(again.WrittenCount, 2, 4);
        Assert.Contains(again.Log.Lines, l => l.Contains("Could not read fake.registry.test/app:1.0", StringComparison.Ordinal));
        Assert.Equal(first.Result.Index!.Digest, again.Result.Index!.Digest);
    }

    [Fact]
    public async Task ADockerIndexInTheDestinationIsNotMatchedByAnOciBuild()
    {
        await PublishAsync(new Options { Format = ImageFormat.Docker });
        Assert.Equal(MediaTypes.DockerManifestList, _registry.Manifest("app", _registry.Tag("app", "1.0")!.Value).MediaType);

        var oci = await PublishAsync(new Options { Format = ImageFormat.Oci });

        Assert.Equal(0, oci.ReusedCount);
        Assert.InRange(oci.WrittenCount, 2, 4);
        Assert.Equal(MediaTypes.OciIndex, _registry.Manifest("app", _registry.Tag("app", "1.0")!.Value).MediaType);
    }

    [Fact]
    public async Task ADockerIndexIsMatchedByADockerBuild()
    {
        var first = await PublishAsync(new Options { Format = ImageFormat.Docker });

        var again = await PublishAsync(new Options { Format = ImageFormat.Docker });

        Assert.Equal(4, again.ReusedCount);
        Assert.Equal(first.Result.Index!.Digest, again.Result.Index!.Digest);
    }

    [Fact]
    public async Task ZstdLayersInTheDestinationAreNotTakenForAGzipBuild()
    {
        var zstd = await PublishAsync(new Options { Compression = LayerCompression.Zstd });

        var gzip = await PublishAsync();

        Assert.Equal(0, gzip.ReusedCount);
        Assert.InRange(gzip.WrittenCount, 2, 4);
        Assert.All(NewLayers(gzip), l => Assert.Equal(MediaTypes.OciLayerGzip, l.MediaType));
        Assert.NotEqual(zstd.Result.Index!.Digest, gzip.Result.Index!.Digest);
    }

    [Fact]
    public async Task ABlobThatVanishesBetweenLookupAndPushIsWrittenAndThePublishSucceeds()
    {
        var first = await PublishAsync();
        var packages = NewLayers(first)[0].Digest;
        // The lookup's HEAD still finds the blob; from then on the registry has lost it (HEAD and GET answer 404), as if
        // garbage-collected between the lookup and the push.
        _registry.AddFault(new Fault { Method = "HEAD", PathContains = $"/v2/app/blobs/{packages}", Status = HttpStatusCode.NotFound, Skip = 1, Remaining = 100 });
        _registry.AddFault(new Fault { Method = "GET", PathContains = $"/v2/app/blobs/{packages}", Status = HttpStatusCode.NotFound, Remaining = 100 });
        WriteApp("v2");

        var second = await PublishAsync();

        Assert.Contains(second.Log.Lines, l => l.Contains("could not be read from there any more", StringComparison.Ordinal) && l.Contains("writing the layers instead", StringComparison.Ordinal));
        // Written here on the second attempt, sent, and tagged only then.
        Assert.True(second.ObjBlobs.Contains(packages));
        Assert.Equal(second.Result.Index!.Digest, _registry.Tag("app", "1.0"));
        Assert.True(_registry.HasBlob("app", packages));
        Assert.Equal(packages, NewLayers(second)[0].Digest);
    }

    [Fact]
    public async Task TheUserCacheServesAnotherRepositoryWithoutCompressing()
    {
        string userCache = _temp.Combine("user-cache");
        var first = await PublishAsync(new Options { UserCache = userCache, Repository = "one" });
        Assert.Equal(0, first.ReusedCount);

        var other = await PublishAsync(new Options { UserCache = userCache, Repository = "two" });

        // The 2 MiB packages layer came from the user cache (the app layer is too small to be kept there), and was uploaded from it.
        Assert.Contains(other.Log.Lines, l => l.Contains("packages layer", StringComparison.Ordinal) && l.Contains("the user layer cache", StringComparison.Ordinal));
        Assert.Contains(other.Log.Lines, l => l.Contains("app layer", StringComparison.Ordinal) && l.EndsWith(": written", StringComparison.Ordinal));
        var packages = NewLayers(other, "two")[0];
        Assert.True(_registry.HasBlob("two", packages.Digest));
        Assert.Equal(NewLayers(first, "one")[0].Digest, packages.Digest);
        // Copied into obj/ as if written there: the next publish of this checkout finds every layer in obj/.
        Assert.True(other.ObjBlobs.Contains(packages.Digest));
        var noOp = await PublishAsync(new Options { UserCache = userCache, Repository = "two", Checkout = "checkout" + _checkouts });
        Assert.Equal(4, noOp.Log.Lines.Count(l => l.EndsWith(": unchanged, reused", StringComparison.Ordinal)));
        Assert.Equal(0, noOp.Result.BytesUploaded);
    }

    [Fact]
    public async Task TheDestinationIsPreferredToTheUserCache()
    {
        string userCache = _temp.Combine("user-cache");
        // The user cache holds this machine's blob; the destination holds another machine's (gzip level 1) for the same tar.
        await PublishAsync(new Options { UserCache = userCache, Repository = "mine" });
        var elsewhere = await PublishAsync(new Options { Level = CompressionLevel.Fastest });

        var here = await PublishAsync(new Options { UserCache = userCache });

        Assert.Equal(elsewhere.Result.Index!.Digest, here.Result.Index!.Digest);
        Assert.Equal(0, here.Result.BytesUploaded);
    }

    [Fact]
    public async Task AFreshCheckoutPublishingIntoALayoutTakesTheLayersItHolds()
    {
        string layout = _temp.Combine("layout");
        var first = await PublishAsync(new Options { Layout = layout });
        WriteApp("v2");

        var second = await PublishAsync(new Options { Layout = layout });

        Assert.Equal(2, second.ReusedCount);
        Assert.Contains(second.Log.Lines, l => l.Contains("the destination oci:" + layout + ":1.0", StringComparison.Ordinal));
        Assert.True(second.Result.BytesSkipped > 2 << 20);
        Assert.True(second.Result.BytesUploaded < 64 * 1024, $"{second.Result.BytesUploaded} bytes written");
        Assert.NotEqual(first.Result.Index!.Digest, second.Result.Index!.Digest);
    }

    [Fact]
    public async Task WithReuseStoppedEveryLayerIsWritten()
    {
        await PublishAsync();

        var again = await PublishAsync(new Options { BeforePublish = f => f.StopReusingLayers() });

        Assert.Equal(0, again.ReusedCount);
        Assert.InRange(again.WrittenCount, 2, 4);
    }

    private sealed class DescriptorEquality : IEqualityComparer<Descriptor>
    {
        public static readonly DescriptorEquality Instance = new();
        public bool Equals(Descriptor? x, Descriptor? y) => x!.Digest == y!.Digest && x.Size == y.Size && x.MediaType == y.MediaType;
        public int GetHashCode(Descriptor obj) => obj.Digest.GetHashCode();
    }

    public void Dispose() => _temp.Dispose();
}
