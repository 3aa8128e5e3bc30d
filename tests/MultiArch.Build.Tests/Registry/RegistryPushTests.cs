using System.Net;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Push;
using static MultiArch.Build.Tests.Registry.TestImages;

namespace MultiArch.Build.Tests.Registry;

public class RegistryPushTests
{
    [Fact]
    public async Task ARegistryWithoutTheReferrersApiIsAskedOnceForAllSubjects()
    {
        var registry = new FakeRegistry();
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 22);
        using var client = Client(registry);

        foreach (var image in index.Images)
            Assert.Null(await client.TryGetReferrersAsync(Repo("app"), image.Descriptor.Digest, CancellationToken.None));

        Assert.Single(registry.Requests, r => r.PathAndQuery.Contains("/referrers/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnImagePushedByDigestWithAReferrerIsPutOnce()
    {
        var registry = new FakeRegistry();
        var image = TwoPlatformIndex(new MemoryBlobSource(), seed: 21).Images[0];
        var referrer = MultiArch.Build.Sbom.SbomArtifacts.Referrer("{}"u8.ToArray(), image.Descriptor, DateTimeOffset.UnixEpoch);
        using var client = Client(registry);

        await new RegistryDestination(client, Repo("app")).WriteImageAsync(image.WithReferrers([referrer]), [], CancellationToken.None);

        Assert.Single(registry.Requests, r => r.Method == "PUT" && r.PathAndQuery.EndsWith("/manifests/" + image.Descriptor.Digest, StringComparison.Ordinal));
        Assert.True(registry.HasManifest("app", referrer.Descriptor.Digest));
    }

    [Fact]
    public async Task NewBlobsCostThreeRequestsAndTheTagNamesTheCompleteIndex()
    {
        var registry = new FakeRegistry();
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 1);
        using var client = Client(registry);
        var progress = new List<BlobProgress>();
        var destination = new RegistryDestination(client, Repo("app"), new SynchronousProgress<BlobProgress>(progress));

        var result = await destination.WriteIndexAsync(index, ["1.0"], CancellationToken.None);

        AssertComplete(registry, "app", index, "1.0");
        var blobs = index.Images.SelectMany(i => i.Blobs).DistinctBy(b => b.Descriptor.Digest).ToList();
        Assert.Equal(5, blobs.Count); // two configs, one shared layer, two own layers
        foreach (var blob in blobs)
            Assert.Equal(["HEAD", "POST", "PUT"], RequestsFor(registry, blob).Select(r => r.Method));
        Assert.Equal(blobs.Sum(b => b.Descriptor.Size), result.BytesWritten);
        Assert.Equal(0, result.BytesSkipped);
        Assert.Equal(1, registry.TagCount("app"));
        // Every request names the product and its version.
        Assert.All(registry.Requests, r => Assert.Matches(@"^MultiArch\.Build/\d+\.\d+\.\d+", r.UserAgent));
        Assert.Equal($"{FakeRegistry.Host}/app@{index.Descriptor.Digest}", result.References[0]);
        Assert.Equal($"{FakeRegistry.Host}/app:1.0", result.References[1]);
        Assert.All(blobs, b => Assert.Contains(progress, p => p.Digest == b.Descriptor.Digest && p.State == BlobProgressState.Uploaded && p.BytesDone == b.Descriptor.Size));
        // Children by digest, then the index by its tag (which stores it under its digest too): one PUT each.
        var manifestPuts = registry.Requests.Where(r => r.Method == "PUT" && r.PathAndQuery.Contains("/manifests/")).Select(r => r.PathAndQuery).ToList();
        Assert.Equal(3, manifestPuts.Count);
        Assert.EndsWith(index.Images[0].Descriptor.Digest.ToString(), manifestPuts[0]);
        Assert.EndsWith("/manifests/1.0", manifestPuts[2]);
        Assert.True(registry.HasManifest("app", index.Descriptor.Digest));
    }

    [Fact]
    public async Task BlobsAlreadyThereCostOneHeadAndUploadNothing()
    {
        var registry = new FakeRegistry();
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 2);
        using var client = Client(registry);
        var destination = new RegistryDestination(client, Repo("app"));
        var first = await destination.WriteIndexAsync(index, ["a"], CancellationToken.None);
        registry.Requests.Clear();

        var second = await destination.WriteIndexAsync(index, ["b"], CancellationToken.None);

        Assert.Equal(0, second.BytesWritten);
        Assert.Equal(first.BytesWritten, second.BytesSkipped);
        foreach (var blob in index.Images.SelectMany(i => i.Blobs))
            Assert.Equal(["HEAD"], RequestsFor(registry, blob).Select(r => r.Method));
        AssertComplete(registry, "app", index, "b");
        Assert.Equal(index.Descriptor.Digest, registry.Tag("app", "a"));
    }

    [Fact]
    public async Task ServerErrorsAreRetriedWithBackoff()
    {
        var registry = new FakeRegistry();
        registry.AddFault(new Fault { Method = "HEAD", PathContains = "/blobs/", Status = HttpStatusCode.InternalServerError });
        registry.AddFault(new Fault { Method = "POST", PathContains = "/blobs/uploads/", Status = HttpStatusCode.ServiceUnavailable, Remaining = 2 });
        registry.AddFault(new Fault { Method = "PUT", PathContains = "/manifests/", Status = HttpStatusCode.BadGateway });
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 3);
        var delays = new List<TimeSpan>();
        using var client = Client(registry, delays);

        await new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["latest"], CancellationToken.None);

        AssertComplete(registry, "app", index, "latest");
        Assert.Equal(4, delays.Count);
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task ConnectionResetsOnReplayableRequestsAreRetried()
    {
        var registry = new FakeRegistry();
        registry.AddFault(new Fault { Method = "HEAD", PathContains = "/blobs/", ResetAfterBytes = 0 });
        registry.AddFault(new Fault { Method = "PUT", PathContains = "/manifests/", ResetAfterBytes = 100, Remaining = 2 });
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 13);
        var delays = new List<TimeSpan>();
        using var client = Client(registry, delays);

        await new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["latest"], CancellationToken.None);

        AssertComplete(registry, "app", index, "latest");
        Assert.Equal(3, delays.Count);
    }

    [Fact]
    public async Task CredentialsAreNotSentToUploadLocationsOnOtherHosts()
    {
        var registry = new FakeRegistry(new FakeAuth(FakeAuthMode.Basic, "bob", "pw")) { UploadHost = "storage.elsewhere.test" };
        var image = Image(new MemoryBlobSource(), new Platform { OS = "linux", Architecture = "amd64" }, RandomBytes(1000, 14));
        using var client = Client(registry, environment: new Dictionary<string, string> { ["DOTNET_CONTAINER_REGISTRY_UNAME"] = "bob", ["DOTNET_CONTAINER_REGISTRY_PWORD"] = "pw" });

        await new RegistryDestination(client, Repo("app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        var uploads = registry.Requests.Where(r => r.Method == "PUT" && r.PathAndQuery.Contains("/uploads/")).ToList();
        Assert.Equal(2, uploads.Count);
        Assert.All(uploads, u => Assert.Null(u.Authorization));
        Assert.Contains(registry.Requests, r => r.Method == "HEAD" && r.Authorization is not null);
        Assert.Equal(image.Descriptor.Digest, registry.Tag("app", "v1"));
    }

    [Fact]
    public async Task TooManyRequestsWaitsAsLongAsRetryAfterSays()
    {
        var registry = new FakeRegistry();
        registry.AddFault(new Fault { Method = "PUT", PathContains = "/manifests/", Status = HttpStatusCode.TooManyRequests, RetryAfter = TimeSpan.FromSeconds(7) });
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 4);
        var delays = new List<TimeSpan>();
        using var client = Client(registry, delays);

        await new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["latest"], CancellationToken.None);

        Assert.Equal([TimeSpan.FromSeconds(7)], delays);
        AssertComplete(registry, "app", index, "latest");
    }

    [Fact]
    public async Task PersistentBlobUploadFailureNamesTheRegistrysErrorCode()
    {
        var registry = new FakeRegistry();
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 6);
        var layer = index.Images[0].Manifest.Layers[0].Digest;
        registry.AddFault(new Fault { Method = "PUT", PathContains = "digest=" + layer, Status = HttpStatusCode.ServiceUnavailable, Remaining = 100 });
        using var client = Client(registry, []);

        var error = await Assert.ThrowsAsync<MabException>(() => new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["latest"], CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryRequestFailed, error.Code);
        Assert.Contains($"PUT blob {layer}", error.Message);
        Assert.Contains("503", error.Message);
        Assert.Contains("FAULT", error.Message); // the registry's errors[].code, kept through the upload's own retries
        Assert.Equal(0, registry.TagCount("app"));
    }

    [Fact]
    public async Task PersistentFailureEndsInACodedErrorAndNoTag()
    {
        var registry = new FakeRegistry();
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 5);
        registry.AddFault(new Fault { Method = "PUT", PathContains = index.Images[1].Descriptor.Digest.Hex, Status = HttpStatusCode.ServiceUnavailable, Remaining = 100 });
        using var client = Client(registry, []);

        var error = await Assert.ThrowsAsync<MabException>(() => new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["latest"], CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryRequestFailed, error.Code);
        Assert.Contains(FakeRegistry.Host, error.Message);
        Assert.Contains("503", error.Message);
        Assert.Contains("FAULT", error.Message); // the registry's errors[].code
        Assert.Contains($"after {new RegistryOptions().MaxAttempts} tries", error.Message);
        Assert.False(registry.HasManifest("app", index.Descriptor.Digest));
        Assert.Equal(0, registry.TagCount("app"));
    }

    [Fact]
    public async Task ConnectionResetMidPatchResumesFromTheRegistryRange()
    {
        var registry = new FakeRegistry();
        var blobs = new MemoryBlobSource();
        var image = Image(blobs, new Platform { OS = "linux", Architecture = "amd64" }, RandomBytes(50_000, 6));
        var layer = image.Blobs[1];
        // The second PATCH dies after 3000 bytes reached the registry.
        registry.AddFault(new Fault { Method = "PATCH", PathContains = "/blobs/uploads/", ResetAfterBytes = 3000, Skip = 1 });
        using var client = new RegistryClient(Options(registry, []) is var o ? new RegistryOptions
        {
            Handler = o.Handler, Delay = o.Delay, Environment = o.Environment, ChunkedUploadThreshold = 10_000, ChunkSize = 16_384,
        } : null);

        await new RegistryDestination(client, Repo("app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        Assert.Equal(layer.Descriptor.Digest, Digest.Compute(registry.Blob("app", layer.Descriptor.Digest)!));
        var patches = registry.Requests.Where(r => r.Method == "PATCH").Select(r => r.ContentRange).ToList();
        // 0-16383, 16384-32767 (cut after 3000 bytes), resumed at 19384, then the rest.
        Assert.Equal(["0-16383", "16384-32767", "19384-35767", "35768-49999"], patches);
        Assert.Single(RequestsFor(registry, layer), r => r.Method == "POST");
        Assert.Single(registry.Requests, r => r.Method == "GET" && r.PathAndQuery.Contains("/uploads/"));
        Assert.Equal(image.Descriptor.Digest, registry.Tag("app", "v1"));
    }

    [Fact]
    public async Task UploadTheRegistryLostAfterAResetStartsAgain()
    {
        var registry = new FakeRegistry { LoseUploadOnReset = true };
        var image = Image(new MemoryBlobSource(), new Platform { OS = "linux", Architecture = "amd64" }, RandomBytes(30_000, 15));
        var layer = image.Blobs[1];
        registry.AddFault(new Fault { Method = "PATCH", PathContains = "/blobs/uploads/", ResetAfterBytes = 2000, Skip = 1 });
        var log = new CapturingLog();
        using var client = new RegistryClient(new RegistryOptions
        {
            Handler = registry, Delay = (_, _) => Task.CompletedTask, Log = log,
            Environment = RegistryEnvironment.From(new Dictionary<string, string>()), ChunkedUploadThreshold = 10_000, ChunkSize = 12_000,
        });

        await new RegistryDestination(client, Repo("app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        Assert.Equal(layer.Descriptor.Digest, Digest.Compute(registry.Blob("app", layer.Descriptor.Digest)!));
        Assert.Equal(["0-11999", "12000-23999", "0-11999", "12000-23999", "24000-29999"], registry.Requests.Where(r => r.Method == "PATCH").Select(r => r.ContentRange));
        Assert.Contains("starting it again", log.All);
        Assert.Equal(image.Descriptor.Digest, registry.Tag("app", "v1"));
    }

    [Fact]
    public async Task ConnectionResetMidPutStartsTheUploadAgain()
    {
        var registry = new FakeRegistry();
        var image = Image(new MemoryBlobSource(), new Platform { OS = "linux", Architecture = "amd64" }, RandomBytes(20_000, 7));
        registry.AddFault(new Fault { Method = "PUT", PathContains = "/blobs/uploads/", ResetAfterBytes = 5000 });
        using var client = Client(registry, []);

        var result = await new RegistryDestination(client, Repo("app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        Assert.All(image.Blobs, b => Assert.True(registry.HasBlob("app", b.Descriptor.Digest)));
        Assert.Equal(image.Descriptor.Digest, registry.Tag("app", "v1"));
        Assert.Equal(image.Blobs.Sum(b => b.Descriptor.Size), result.BytesWritten);
    }

    [Fact]
    public async Task ChunkMinLengthIsNoReasonToSendChunks()
    {
        var registry = new FakeRegistry { ChunkMinLength = 8192 };
        var image = Image(new MemoryBlobSource(), new Platform { OS = "linux", Architecture = "amd64" }, RandomBytes(20_000, 8));
        using var client = Client(registry);

        await new RegistryDestination(client, Repo("app")).WriteImageAsync(image, [], CancellationToken.None);

        // Before, OCI-Chunk-Min-Length alone sent the 20 000-byte layer in three PATCHes (six requests); now it goes whole.
        Assert.All(image.Blobs, b => Assert.Equal(["HEAD", "POST", "PUT"], RequestsFor(registry, b).Select(r => r.Method)));
        Assert.DoesNotContain(registry.Requests, r => r.Method == "PATCH" || r.ContentRange is not null);
        Assert.True(registry.HasManifest("app", image.Descriptor.Digest));
    }

    [Fact]
    public async Task UploadsWaitAsLongAsRetryAfterSays()
    {
        var registry = new FakeRegistry();
        var image = Image(new MemoryBlobSource(), new Platform { OS = "linux", Architecture = "amd64" }, RandomBytes(50_000, 17), RandomBytes(5000, 18));
        var whole = image.Blobs[2].Descriptor.Digest;
        registry.AddFault(new Fault { Method = "PUT", PathContains = "digest=" + whole, Status = HttpStatusCode.ServiceUnavailable, RetryAfter = TimeSpan.FromSeconds(7) });
        registry.AddFault(new Fault { Method = "PATCH", PathContains = "/blobs/uploads/", Status = HttpStatusCode.TooManyRequests, RetryAfter = TimeSpan.FromSeconds(11), Skip = 1 });
        var delays = new List<TimeSpan>();
        using var client = UploadClient.For(registry, chunkedAbove: 10_000, chunkSize: 16_384, delays: delays);

        await new RegistryDestination(client, Repo("app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        Assert.Equal([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(11)], delays.Order());
        Assert.All(image.Blobs, b => Assert.Equal(b.Descriptor.Digest, Digest.Compute(registry.Blob("app", b.Descriptor.Digest)!)));
        // The refused chunk left nothing behind: the upload goes on from the registry's Range in the same session.
        Assert.Equal(["0-16383", "16384-32767", "16384-32767", "32768-49151", "49152-49999"], registry.Requests.Where(r => r.Method == "PATCH").Select(r => r.ContentRange));
        Assert.Single(RequestsFor(registry, image.Blobs[1]), r => r.Method == "POST");
    }

    [Fact]
    public async Task BaseLayersAreMountedFromTheirRepository()
    {
        var registry = new FakeRegistry();
        var baseLayer = RandomBytes(4000, 9);
        registry.PutBlob("base", baseLayer);
        using var client = Client(registry);
        var image = WithBaseLayer(client, baseLayer);

        var result = await new RegistryDestination(client, Repo("app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        var layer = image.Blobs[1];
        Assert.Equal(["HEAD", "POST"], RequestsFor(registry, layer).Select(r => r.Method));
        Assert.Contains(RequestsFor(registry, layer), r => r.PathAndQuery.Contains("from=base"));
        Assert.True(registry.HasBlob("app", layer.Descriptor.Digest));
        Assert.Equal(image.Blobs.Sum(b => b.Descriptor.Size) - baseLayer.Length, result.BytesWritten);
        Assert.Equal(baseLayer.Length, result.BytesSkipped);
    }

    [Fact]
    public async Task RefusedMountFallsBackToUploadingIntoTheOfferedSession()
    {
        var registry = new FakeRegistry { RefuseMounts = true };
        var baseLayer = RandomBytes(4000, 10);
        registry.PutBlob("base", baseLayer);
        using var client = Client(registry);
        var image = WithBaseLayer(client, baseLayer);

        var result = await new RegistryDestination(client, Repo("app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        var layer = image.Blobs[1];
        // The upload reads the layer from the base repository (GET there); the target sees HEAD, POST (mount refused), PUT.
        Assert.Equal(["HEAD", "POST", "PUT"], RequestsFor(registry, layer).Where(r => r.PathAndQuery.StartsWith("/v2/app/")).Select(r => r.Method));
        Assert.Equal(layer.Descriptor.Digest, Digest.Compute(registry.Blob("app", layer.Descriptor.Digest)!));
        Assert.Equal(image.Blobs.Sum(b => b.Descriptor.Size), result.BytesWritten);
        Assert.Equal(image.Descriptor.Digest, registry.Tag("app", "v1"));
    }

    [Fact]
    public async Task DeniedMountFallsBackToAnUpload()
    {
        var registry = new FakeRegistry();
        var baseLayer = RandomBytes(4000, 22);
        registry.PutBlob("base", baseLayer);
        // The push account may not read base/: the registry denies the mount itself.
        registry.AddFault(new Fault { Method = "POST", PathContains = "mount=", Status = HttpStatusCode.Forbidden });
        var log = new CapturingLog();
        using var client = Client(registry, log: log);
        var image = WithBaseLayer(client, baseLayer);

        var result = await new RegistryDestination(client, Repo("app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        var layer = image.Blobs[1];
        Assert.Equal(["HEAD", "POST", "POST", "PUT"], RequestsFor(registry, layer).Where(r => r.PathAndQuery.StartsWith("/v2/app/")).Select(r => r.Method));
        Assert.Equal(layer.Descriptor.Digest, Digest.Compute(registry.Blob("app", layer.Descriptor.Digest)!));
        Assert.Equal(image.Blobs.Sum(b => b.Descriptor.Size), result.BytesWritten);
        Assert.Contains("denied mounting", log.All);
    }

    [Fact]
    public async Task MissingDockerContentDigestHeaderIsAccepted()
    {
        var registry = new FakeRegistry { OmitDigestHeader = true };
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 11);
        using var client = Client(registry);

        await new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["latest"], CancellationToken.None);

        AssertComplete(registry, "app", index, "latest");
    }

    [Fact]
    public async Task InvalidTagFailsBeforeAnythingIsSent()
    {
        var registry = new FakeRegistry();
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 12);
        using var client = Client(registry);

        var error = await Assert.ThrowsAsync<MabException>(() => new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["-bad"], CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidImageReference, error.Code);
        Assert.Empty(registry.Requests);
    }

    private static global::MultiArch.Build.Images.ImageArtifact WithBaseLayer(RegistryClient client, byte[] baseLayer)
    {
        var own = new MemoryBlobSource();
        var image = Image(own, new Platform { OS = "linux", Architecture = "amd64" }, baseLayer, RandomBytes(1000, 99));
        var fromBase = new RegistryBlobSource(client, Repo("base"));
        var blobs = image.Blobs.Select((b, i) => i == 1 ? new global::MultiArch.Build.Images.BlobContent(b.Descriptor, fromBase) : b).ToList();
        return new global::MultiArch.Build.Images.ImageArtifact(image.Manifest, image.ManifestBytes, image.Descriptor.Platform, blobs);
    }

    private static List<RecordedRequest> RequestsFor(FakeRegistry registry, global::MultiArch.Build.Images.BlobContent blob) => registry.RequestsFor(blob.Descriptor.Digest);
}

/// <summary>IProgress that records on the calling thread (Progress&lt;T&gt; posts asynchronously).</summary>
internal sealed class SynchronousProgress<T>(List<T> items) : IProgress<T>
{
    public void Report(T value) { lock (items) items.Add(value); }
}
