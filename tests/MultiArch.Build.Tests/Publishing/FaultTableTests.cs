using System.Net;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Indexes;
using MultiArch.Build.Layers;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;
using MultiArch.Build.Sources;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Registry.Push;
using MultiArch.Build.Tests.Registry;
using static MultiArch.Build.Tests.Registry.TestImages;

namespace MultiArch.Build.Tests.Publishing;

/// <summary>
/// Walks a table of injected faults through the core's publish (to a registry and to a layout), index and inspect
/// calls: every call either succeeds with the digest a fault-free run gives, or fails with a coded
/// <see cref="MabException"/> (or is canceled when asked to be). Nothing uncoded escapes to the task boundary.
/// </summary>
public class FaultTableTests
{
    private static readonly Platform Amd64 = new() { OS = "linux", Architecture = "amd64" };
    private static readonly Platform Arm64 = new() { OS = "linux", Architecture = "arm64", Variant = "v8" };

    /// <summary>One row: the fault, and the codes a failure may have (empty: the call must succeed).</summary>
    private sealed record Row(string Name, Func<HttpRequestMessage, ResponseFault?> Decide, string[] Codes, bool Cancel = false)
    {
        public override string ToString() => Name;
    }

    private static bool IsGet(HttpRequestMessage r) => r.Method == HttpMethod.Get;
    private static bool IsWrite(HttpRequestMessage r) => r.Method == HttpMethod.Put || r.Method == HttpMethod.Post || r.Method.Method == "PATCH";

    private static readonly Dictionary<string, Row> Rows = new Row[]
    {
        new("no fault", _ => null, []),
        new("25 % of GET bodies cut", ResponseFaults.Share(0.25, 1, IsGet, r => ResponseFault.CutAt(r.Next(0, 400))), []),
        new("25 % of GET bodies stalled", ResponseFaults.Share(0.25, 2, IsGet, r => ResponseFault.StallAt(r.Next(0, 400))), []),
        new("20 % of requests answered 500 or 503", ResponseFaults.Share(0.2, 3, _ => true, r => new ResponseFault { Status = r.Next(2) == 0 ? HttpStatusCode.InternalServerError : HttpStatusCode.ServiceUnavailable }), []),
        new("20 % of connections reset", ResponseFaults.Share(0.2, 4, _ => true, _ => new ResponseFault { Reset = true }), []),
        new("every GET body cut", r => IsGet(r) ? ResponseFault.CutAt(5) : null, [ErrorCode.RegistryUnreachable]),
        new("every GET body stalled", r => IsGet(r) ? ResponseFault.StallAt(5) : null, [ErrorCode.RegistryUnreachable]),
        new("every request answered 500", _ => new ResponseFault { Status = HttpStatusCode.InternalServerError }, [ErrorCode.RegistryRequestFailed]),
        new("every write reset", r => IsWrite(r) ? new ResponseFault { Reset = true } : null, [ErrorCode.RegistryUnreachable]),
        new("every blob corrupted", r => IsGet(r) && r.RequestUri!.AbsolutePath.Contains("/blobs/") ? new ResponseFault { Corrupt = true } : null, [ErrorCode.RegistryDigestMismatch, ErrorCode.DigestMismatch]),
        new("canceled", _ => null, [], Cancel: true),
    }.ToDictionary(r => r.Name);

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in Rows.Keys)
            foreach (var operation in new[] { "publish to registry", "publish to layout", "index", "inspect" })
                data.Add(row, operation);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryFailureIsCodedOrACancel(string rowName, string operation)
    {
        var row = Rows[rowName];
        using var world = new World();
        var expected = await world.RunAsync(operation, CancellationToken.None);
        using var faulty = new World();
        faulty.Faults.Decide = row.Decide;
        using var cancel = new CancellationTokenSource();
        if (row.Cancel) faulty.Faults.Decide = _ => { cancel.Cancel(); return null; };

        Exception? failure = null;
        Digest? digest = null;
        try
        {
            digest = await faulty.RunAsync(operation, cancel.Token);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        if (row.Cancel)
        {
            Assert.IsAssignableFrom<OperationCanceledException>(failure);
            return;
        }
        if (failure is null)
        {
            Assert.Equal(expected, digest);
            return;
        }
        var coded = Assert.IsType<MabException>(failure);
        Assert.True(row.Codes.Contains(coded.Code), $"{rowName} / {operation}: {coded.Code} {coded.Message}");
        Assert.DoesNotContain("   at ", coded.Message);
    }

    /// <summary>A fake registry with a two-platform base and two pushed app images, behind injectable faults, and a published app on disk.</summary>
    private sealed class World : IDisposable
    {
        public World()
        {
            Registry = new FakeRegistry();
            Faults = new ResponseFaults(Registry);
            var blobs = new MemoryBlobSource();
            Seed(Registry, "base", TwoPlatformIndex(blobs, seed: 950, layerSize: 20_000), blobs, "1.0");
            Seed(Registry, "sources", TwoPlatformIndex(blobs, seed: 960, layerSize: 5_000), blobs, null);
            Sources = TwoPlatformIndex(blobs, seed: 960, layerSize: 5_000);
            Directory.CreateDirectory(Temp.Combine("publish"));
            File.WriteAllText(Temp.Combine("publish", "app.dll"), "not really an assembly");
        }

        public FakeRegistry Registry { get; }
        public ResponseFaults Faults { get; }
        public IndexArtifact Sources { get; }
        public TempFolder Temp { get; } = new();

        private RegistryClient Client(CredentialPurpose purpose) => new(new RegistryOptions
        {
            Handler = Faults,
            Delay = (_, _) => Task.CompletedTask,
            Environment = RegistryEnvironment.From(new Dictionary<string, string>()),
            MaxAttempts = 10,
            StallTimeout = TimeSpan.FromMilliseconds(100),
        }, purpose);

        private static void Seed(FakeRegistry registry, string repository, IndexArtifact index, MemoryBlobSource blobs, string? tag)
        {
            foreach (var image in index.Images)
            {
                foreach (var blob in image.Blobs)
                {
                    using var content = blobs.OpenReadAsync(blob.Descriptor, CancellationToken.None).Result;
                    using var bytes = new MemoryStream();
                    content.CopyTo(bytes);
                    registry.PutBlob(repository, bytes.ToArray());
                }
                registry.PutManifest(repository, image.Descriptor.MediaType, image.ManifestBytes);
            }
            registry.PutManifest(repository, index.Descriptor.MediaType, index.IndexBytes, tag);
        }

        public async Task<Digest> RunAsync(string operation, CancellationToken cancellationToken)
        {
            switch (operation)
            {
                case "publish to registry":
                {
                    using var push = Client(CredentialPurpose.Push);
                    return await PublishAsync(new RegistryDestination(push, Repo("app")), cancellationToken);
                }
                case "publish to layout":
                    return await PublishAsync(new OciLayoutDestination(Temp.Combine("layout")), cancellationToken);
                case "index":
                {
                    using var pull = Client(CredentialPurpose.Pull);
                    using var push = Client(CredentialPurpose.Push);
                    var sources = string.Join(';', Sources.Images.Select(i => $"{FakeRegistry.Host}/sources@{i.Descriptor.Digest}"));
                    var request = new ContainerIndexRequest { Sources = sources, Registry = FakeRegistry.Host, Repository = "merged", Tags = ["1.0"] };
                    var result = await ContainerIndexing.CreateAsync(request, Repo("merged"), pull, push, NullBuildLog.Instance, cancellationToken);
                    return result.Index.Digest;
                }
                case "inspect":
                {
                    using var pull = Client(CredentialPurpose.Pull);
                    var image = await ImageInspector.InspectAsync(new ImageSourceReader(new RegistryImageSource(pull, Repo("base").WithTag("1.0"))), cancellationToken);
                    Assert.Equal(2, image.Manifests.Count);
                    return image.Digest;
                }
                default:
                    throw new ArgumentException(operation);
            }
        }

        public async Task<Digest> PublishAsync(IImageDestination destination, CancellationToken cancellationToken)
        {
            using var pull = Client(CredentialPurpose.Pull);
            var files = new[] { new PublishedFile(Temp.Combine("publish", "app.dll"), "app.dll") };
            var request = new ContainerPublishRequest
            {
                Platforms =
                [
                    new PublishedPlatform(new PlatformTarget(Amd64, "linux-x64"), $"{FakeRegistry.Host}/base:1.0", Temp.Combine("publish"), files),
                    new PublishedPlatform(new PlatformTarget(Arm64, "linux-arm64"), $"{FakeRegistry.Host}/base:1.0", Temp.Combine("publish"), files),
                ],
                Destination = new ImageDestinationSpec { Registry = FakeRegistry.Host, Repository = "app", Tags = ["1.0"] },
                BlobCacheDirectory = Temp.Combine("cache"),
                Execution = new ExecutionArgs { AssemblyName = "app", TargetFileName = "app.dll" },
                Edits = new ImageConfigEdits { Created = DateTimeOffset.UnixEpoch },
            };
            var factory = new PlatformImageFactory(new BlobStore(request.BlobCacheDirectory), LayerStrategy.Single, new LayerWriter());
            using var sources = new ImageSources(pull);
            var publisher = new ContainerPublisher(sources, destination, factory, NullBuildLog.Instance);
            var result = await publisher.PublishAsync(request, cancellationToken);
            return result.Index!.Digest;
        }

        public void Dispose() => Temp.Dispose();
    }
}
