using System.Net;
using MultiArch.Build.Blobs;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry.Push;
using static MultiArch.Build.Tests.Registry.TestImages;

namespace MultiArch.Build.Tests.Registry;

/// <summary>
/// Chunked uploads, which are used only when asked for or after whole uploads keep breaking: chunk sizes, and how the
/// uploader follows the registry's own view of the upload when the two disagree.
/// </summary>
public class ChunkedUploadTests
{
    [Fact]
    public async Task AskedForChunksTheyAreAtLeastTheRegistrysMinimum()
    {
        var registry = new FakeRegistry { ChunkMinLength = 8192 };
        var image = Image(new MemoryBlobSource(), new Platform { OS = "linux", Architecture = "amd64" }, RandomBytes(20_000, 8));
        using var client = UploadClient.For(registry, chunkedAbove: 10_000, chunkSize: 1024);

        await new RegistryDestination(client, Repo("app")).WriteImageAsync(image, [], CancellationToken.None);

        Assert.Equal(["0-8191", "8192-16383", "16384-19999"], registry.Requests.Where(r => r.Method == "PATCH").Select(r => r.ContentRange));
        Assert.Equal(["HEAD", "POST", "PATCH", "PATCH", "PATCH", "PUT"], registry.RequestsFor(image.Blobs[1].Descriptor.Digest).Select(r => r.Method));
        Assert.True(registry.HasBlob("app", image.Blobs[1].Descriptor.Digest));
        Assert.Equal(0, registry.TagCount("app"));
    }

    [Fact]
    public async Task WholeUploadThatBreaksTwiceGoesOnInChunks()
    {
        var registry = new FakeRegistry();
        var image = Image(new MemoryBlobSource(), new Platform { OS = "linux", Architecture = "amd64" }, RandomBytes(50_000, 16));
        var layer = image.Blobs[1];
        registry.AddFault(new Fault { Method = "PUT", PathContains = "digest=" + layer.Descriptor.Digest, ResetAfterBytes = 20_000, Remaining = 2 });
        var log = new CapturingLog();
        using var client = UploadClient.For(registry, chunkSize: 16_384, log: log);

        await new RegistryDestination(client, Repo("app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        Assert.Equal(layer.Descriptor.Digest, Digest.Compute(registry.Blob("app", layer.Descriptor.Digest)!));
        // Two broken whole uploads (each followed by a HEAD: the PUT may have landed), then a session in chunks. Only the
        // session that completed is known to be the layer's, so the two abandoned POSTs are counted among all of them.
        Assert.Equal(["HEAD", "PUT", "HEAD", "PUT", "HEAD", "POST", "PATCH", "PATCH", "PATCH", "PATCH", "PUT"], registry.RequestsFor(layer.Descriptor.Digest).Select(r => r.Method));
        Assert.Equal(4, registry.Requests.Count(r => r.Method == "POST")); // the config's, and three for the layer
        Assert.Equal(["0-16383", "16384-32767", "32768-49151", "49152-49999"], registry.Requests.Where(r => r.Method == "PATCH").Select(r => r.ContentRange));
        Assert.Contains("broke 2 times; sending it in chunks of 16384 bytes", log.All);
        Assert.Equal(image.Descriptor.Digest, registry.Tag("app", "v1"));
    }

    [Fact]
    public async Task ChunkTheRegistryForgotIsSentAgainFromItsRangeAfter416()
    {
        var registry = new FakeRegistry();
        var image = Image(new MemoryBlobSource(), new Platform { OS = "linux", Architecture = "amd64" }, RandomBytes(50_000, 19));
        var layer = image.Blobs[1];
        registry.AddFault(new Fault { Method = "PATCH", PathContains = "/blobs/uploads/", ForgetBody = true, Skip = 1 });
        using var client = UploadClient.For(registry, chunkedAbove: 10_000, chunkSize: 16_384);

        await new RegistryDestination(client, Repo("app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        Assert.Equal(layer.Descriptor.Digest, Digest.Compute(registry.Blob("app", layer.Descriptor.Digest)!));
        var patches = registry.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal(["0-16383", "16384-32767", "32768-49151", "16384-32767", "32768-49151", "49152-49999"], patches.Select(r => r.ContentRange));
        Assert.Equal(416, patches[2].Status);
        Assert.Single(registry.Requests, r => r.Method == "GET" && r.PathAndQuery.Contains("/uploads/"));
        Assert.Single(registry.RequestsFor(layer.Descriptor.Digest), r => r.Method == "POST");
    }

    [Fact]
    public async Task OutOfStepUploadTheRegistryNoLongerKnowsStartsAgain()
    {
        var registry = new FakeRegistry();
        var image = Image(new MemoryBlobSource(), new Platform { OS = "linux", Architecture = "amd64" }, RandomBytes(50_000, 20));
        var layer = image.Blobs[1];
        registry.AddFault(new Fault { Method = "PATCH", PathContains = "/blobs/uploads/", ForgetBody = true, Skip = 1 });
        registry.AddFault(new Fault { Method = "GET", PathContains = "/blobs/uploads/", Status = HttpStatusCode.NotFound });
        using var client = UploadClient.For(registry, chunkedAbove: 10_000, chunkSize: 16_384);

        await new RegistryDestination(client, Repo("app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        Assert.Equal(layer.Descriptor.Digest, Digest.Compute(registry.Blob("app", layer.Descriptor.Digest)!));
        Assert.Equal(["0-16383", "16384-32767", "32768-49151", "0-16383", "16384-32767", "32768-49151", "49152-49999"], registry.Requests.Where(r => r.Method == "PATCH").Select(r => r.ContentRange));
        Assert.Equal(3, registry.Requests.Count(r => r.Method == "POST")); // the config's, and two for the layer
    }

    [Fact]
    public async Task ChunkAnsweredWithAStaleRangeGoesOnFromTheUploadStatus()
    {
        var registry = new FakeRegistry();
        var image = Image(new MemoryBlobSource(), new Platform { OS = "linux", Architecture = "amd64" }, RandomBytes(50_000, 21));
        var layer = image.Blobs[1];
        registry.AddFault(new Fault { Method = "PATCH", PathContains = "/blobs/uploads/", StaleRange = true, Skip = 1 });
        using var client = UploadClient.For(registry, chunkedAbove: 10_000, chunkSize: 16_384);

        await new RegistryDestination(client, Repo("app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        Assert.Equal(layer.Descriptor.Digest, Digest.Compute(registry.Blob("app", layer.Descriptor.Digest)!));
        Assert.Equal(["0-16383", "16384-32767", "32768-49151", "49152-49999"], registry.Requests.Where(r => r.Method == "PATCH").Select(r => r.ContentRange));
        Assert.Single(registry.Requests, r => r.Method == "GET" && r.PathAndQuery.Contains("/uploads/"));
    }
}
