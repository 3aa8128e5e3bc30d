using System.Net;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;
using static MultiArch.Build.Tests.Registry.TestImages;

namespace MultiArch.Build.Tests.Registry;

/// <summary>
/// Bodies that break or stall after the headers arrived: documents are read again inside the retry policy, blobs
/// resume with Range (or skip what they had when the registry ignores Range) and are checked against their digest.
/// </summary>
public class RegistryBodyFaultTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromMilliseconds(200);

    private static (FakeRegistry Registry, ResponseFaults Faults, RegistryClient Client, CapturingLog Log) Setup(FakeAuth? auth = null, int maxAttempts = 10)
    {
        var registry = new FakeRegistry(auth);
        var faults = new ResponseFaults(registry);
        var log = new CapturingLog();
        var client = new RegistryClient(new RegistryOptions
        {
            Handler = faults,
            Delay = (_, _) => Task.CompletedTask,
            Environment = RegistryEnvironment.From(new Dictionary<string, string>()),
            Log = log,
            StallTimeout = Stall,
            MaxAttempts = maxAttempts,
        }, CredentialPurpose.Pull);
        return (registry, faults, client, log);
    }

    private static bool IsGet(HttpRequestMessage request, string path) =>
        request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.Contains(path, StringComparison.Ordinal);

    private static Func<HttpRequestMessage, ResponseFault?> First(int count, Func<HttpRequestMessage, bool> applies, ResponseFault fault)
    {
        int left = count;
        return request => applies(request) && Interlocked.Decrement(ref left) >= 0 ? fault : null;
    }

    private static (Descriptor Descriptor, byte[] Bytes) PutLayer(FakeRegistry registry, int size, int seed)
    {
        var bytes = RandomBytes(size, seed);
        registry.PutBlob("base", bytes);
        return (Descriptor.For(MediaTypes.OciLayerGzip, bytes), bytes);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task AManifestCutMidBodyIsFetchedAgain()
    {
        var (registry, faults, client, _) = Setup();
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 700);
        var digest = registry.PutManifest("base", MediaTypes.OciIndex, index.IndexBytes, "1.0");
        faults.Decide = First(2, r => IsGet(r, "/manifests/"), ResponseFault.CutAt(40));

        var manifest = await client.TryGetManifestAsync(Repo("base").WithTag("1.0"), CancellationToken.None);

        Assert.Equal(index.IndexBytes, manifest!.Bytes);
        Assert.Equal(digest, manifest.Digest);
        Assert.Equal(2, faults.Injected);
        Assert.Equal(3, registry.Requests.Count(r => r.Method == "GET" && r.PathAndQuery.Contains("/manifests/")));
    }

    [Fact]
    public async Task AStalledConfigIsFetchedAgainAfterTheStallTimeout()
    {
        var (registry, faults, client, log) = Setup();
        var config = System.Text.Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux"}""");
        registry.PutBlob("base", config);
        faults.Decide = First(1, r => IsGet(r, "/blobs/"), ResponseFault.StallAt(5));

        var bytes = await client.GetSmallBlobAsync(Repo("base"), Descriptor.For(MediaTypes.OciConfig, config), CancellationToken.None);

        Assert.Equal(config, bytes);
        Assert.Contains(log.Lines, l => l.Contains("no data arrived for 0.2 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATokenCutMidBodyIsFetchedAgain()
    {
        var (registry, faults, client, _) = Setup(new FakeAuth(FakeAuthMode.Bearer, AllowAnonymous: true));
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 701);
        registry.PutManifest("base", MediaTypes.OciIndex, index.IndexBytes, "1.0");
        faults.Decide = First(1, r => IsGet(r, "/token"), ResponseFault.CutAt(10));

        var manifest = await client.TryGetManifestAsync(Repo("base").WithTag("1.0"), CancellationToken.None);

        Assert.Equal(index.IndexBytes, manifest!.Bytes);
        Assert.Equal(1, faults.Injected);
    }

    [Fact]
    public async Task ABlobCutMidBodyResumesWithRangeAndArrivesWhole()
    {
        var (registry, faults, client, _) = Setup();
        var (layer, bytes) = PutLayer(registry, 200_000, 702);
        faults.Decide = First(3, r => IsGet(r, "/blobs/"), ResponseFault.CutAt(50_000));

        await using var stream = await client.OpenBlobAsync(Repo("base"), layer, CancellationToken.None);
        var read = await ReadAllAsync(stream);

        Assert.Equal(bytes, read);
        Assert.Equal(["bytes=50000-", "bytes=100000-", "bytes=150000-"], faults.Ranges);
    }

    [Fact]
    public async Task ABlobFromARegistryThatIgnoresRangeIsReadAgainAndSkipped()
    {
        var (registry, faults, client, log) = Setup();
        faults.IgnoreRange = true;
        var (layer, bytes) = PutLayer(registry, 150_000, 703);
        faults.Decide = First(2, r => IsGet(r, "/blobs/"), ResponseFault.CutAt(60_000));

        await using var stream = await client.OpenBlobAsync(Repo("base"), layer, CancellationToken.None);
        var read = await ReadAllAsync(stream);

        Assert.Equal(bytes, read);
        Assert.Equal(2, faults.Ranges.Count);
        Assert.Contains(log.Lines, l => l.Contains("ignores Range", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStalledBlobResumes()
    {
        var (registry, faults, client, _) = Setup();
        var (layer, bytes) = PutLayer(registry, 100_000, 704);
        faults.Decide = First(1, r => IsGet(r, "/blobs/"), ResponseFault.StallAt(30_000));

        await using var stream = await client.OpenBlobAsync(Repo("base"), layer, CancellationToken.None);

        Assert.Equal(bytes, await ReadAllAsync(stream));
        Assert.Equal(["bytes=30000-"], faults.Ranges);
    }

    [Fact]
    public async Task ACorruptBlobFailsItsLastReadWithACodeAndNeverCompletes()
    {
        var (registry, faults, client, _) = Setup();
        var (layer, _) = PutLayer(registry, 100_000, 705);
        faults.Decide = r => IsGet(r, "/blobs/") ? new ResponseFault { Corrupt = true } : null;

        await using var stream = await client.OpenBlobAsync(Repo("base"), layer, CancellationToken.None);
        using var copy = new MemoryStream();
        var error = await Assert.ThrowsAsync<MabException>(() => stream.CopyToAsync(copy));

        Assert.Equal(ErrorCode.RegistryDigestMismatch, error.Code);
        Assert.True(copy.Length < layer.Size, "the bytes that complete a corrupt blob are never handed over");
    }

    [Fact]
    public async Task ABlobThatKeepsBreakingWithoutProgressEndsInACodedErrorAfterTheRetryBudget()
    {
        var (registry, faults, client, _) = Setup(maxAttempts: 4);
        var (layer, _) = PutLayer(registry, 100_000, 706);
        faults.Decide = r => IsGet(r, "/blobs/") && r.Headers.Range is not null ? ResponseFault.CutAt(0) : IsGet(r, "/blobs/") ? ResponseFault.CutAt(10_000) : null;

        await using var stream = await client.OpenBlobAsync(Repo("base"), layer, CancellationToken.None);
        var error = await Assert.ThrowsAsync<MabException>(() => ReadAllAsync(stream));

        Assert.Equal(ErrorCode.RegistryUnreachable, error.Code);
        Assert.Contains("at byte 10000 of 100000", error.Message);
        Assert.Equal(4, faults.Injected);
    }

    [Fact]
    public async Task AManifestThatIsAlwaysCutEndsInACodedErrorAfterEveryTry()
    {
        var (registry, faults, client, _) = Setup(maxAttempts: 3);
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 707);
        registry.PutManifest("base", MediaTypes.OciIndex, index.IndexBytes, "1.0");
        faults.Decide = r => IsGet(r, "/manifests/") ? ResponseFault.CutAt(10) : null;

        var error = await Assert.ThrowsAsync<MabException>(() => client.TryGetManifestAsync(Repo("base").WithTag("1.0"), CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryUnreachable, error.Code);
        Assert.Contains("after 3 tries", error.Message);
    }

    [Fact]
    public async Task AManifestLargerThanTheSpecAllowsIsAProtocolError()
    {
        var (registry, _, client, _) = Setup();
        var huge = System.Text.Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[],\"annotations\":{\"x\":\"" + new string('a', 5 * 1024 * 1024) + "\"}}");
        registry.PutManifest("base", MediaTypes.OciIndex, huge, "big");

        var error = await Assert.ThrowsAsync<MabException>(() => client.TryGetManifestAsync(Repo("base").WithTag("big"), CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryProtocolError, error.Code);
    }

    [Fact]
    public async Task ABaseLayerCopiedBetweenRegistriesIsVerifiedAndACorruptOneIsNotRetriedAsANetworkFault()
    {
        var (registry, faults, pull, _) = Setup();
        var (layer, bytes) = PutLayer(registry, 50_000, 708);
        faults.Decide = r => IsGet(r, "/blobs/") ? new ResponseFault { Corrupt = true } : null;
        var target = new FakeRegistry();
        using var push = Client(target);
        var own = new MemoryBlobSource();
        var image = Image(own, new Platform { OS = "linux", Architecture = "amd64" }, bytes);
        var blobs = image.Blobs.Select(b => b.Descriptor.Digest == layer.Digest ? new BlobContent(b.Descriptor, new RegistryBlobSource(pull, Repo("base"))) : b).ToList();
        var fromBase = new ImageArtifact(image.Manifest, image.ManifestBytes, image.Descriptor.Platform, blobs);

        var error = await Assert.ThrowsAsync<MabException>(() => new Build.Registry.Push.RegistryDestination(push, Repo("app")).WriteImageAsync(fromBase, ["v1"], CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryDigestMismatch, error.Code);
        Assert.Contains(FakeRegistry.Host, error.Message);
        Assert.Null(target.Tag("app", "v1"));
        // Sent once: a corrupt source is not a broken connection to try again.
        Assert.Equal(1, target.Requests.Count(r => r.Method == "PUT" && r.PathAndQuery.Contains(layer.Digest.Hex)));
    }
}
