using System.Net;
using System.Text;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Registry.Push;
using static MultiArch.Build.Tests.Registry.TestImages;

namespace MultiArch.Build.Tests.Registry;

/// <summary>
/// What a HEAD proves: a blob is present only when the answer names its digest (or, redirected to storage, has its
/// size); a manifest fetched before is confirmed with a HEAD, which Docker Hub does not count as a pull.
/// </summary>
public class RegistryHeadTests
{
    /// <summary>A web server that answers every request with the same HTML page and 200.</summary>
    private sealed class HtmlEverywhere : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests) Requests.Add($"{request.Method} {request.RequestUri!.AbsolutePath}");
            var page = new ByteArrayContent(Encoding.UTF8.GetBytes("<html><body>Welcome</body></html>"));
            page.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/html");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = page });
        }
    }

    /// <summary>Answers HEAD on blobs as object storage does after a redirect: 200 and a length, no Docker-Content-Digest.</summary>
    private sealed class StorageHead(long length, string? digestHeader = null) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
            response.Content.Headers.ContentLength = length;
            if (digestHeader is not null) response.Headers.TryAddWithoutValidation("Docker-Content-Digest", digestHeader);
            return Task.FromResult(response);
        }
    }

    private static RegistryClient ClientFor(HttpMessageHandler handler, CredentialPurpose purpose = CredentialPurpose.Push) => new(new RegistryOptions
    {
        Handler = handler,
        Delay = (_, _) => Task.CompletedTask,
        Environment = RegistryEnvironment.From(new Dictionary<string, string>()),
    }, purpose);

    private static readonly Descriptor Layer = Descriptor.For(MediaTypes.OciLayerGzip, RandomBytes(1000, 800));

    [Fact]
    public async Task AServerThatAnswers200ToEverythingHasNoBlobs()
    {
        using var client = ClientFor(new HtmlEverywhere());

        Assert.False(await client.BlobExistsAsync(Repo("app"), Layer.Digest, CancellationToken.None));
        Assert.False(await client.BlobExistsAsync(Repo("app"), Layer, CancellationToken.None));
    }

    [Fact]
    public async Task APushToAServerThatAnswers200ToEverythingFailsWithACodeInsteadOfSkippingEveryUpload()
    {
        var html = new HtmlEverywhere();
        using var client = ClientFor(html);
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 801);

        var error = await Assert.ThrowsAsync<MabException>(() => new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["v1"], CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryProtocolError, error.Code);
        Assert.DoesNotContain(html.Requests, r => r.StartsWith("PUT", StringComparison.Ordinal) && r.Contains("/manifests/"));
    }

    [Fact]
    public async Task AHeadRedirectedToStorageCountsWhenItsLengthIsTheBlobsSize()
    {
        using var right = ClientFor(new StorageHead(Layer.Size));
        using var wrong = ClientFor(new StorageHead(Layer.Size + 1));

        Assert.True(await right.BlobExistsAsync(Repo("app"), Layer, CancellationToken.None));
        Assert.False(await wrong.BlobExistsAsync(Repo("app"), Layer, CancellationToken.None));
        // Knowing only the digest, a length proves nothing.
        Assert.False(await right.BlobExistsAsync(Repo("app"), Layer.Digest, CancellationToken.None));
    }

    [Fact]
    public async Task AHeadNamingAnotherDigestIsNotThisBlob()
    {
        var other = Digest.Compute("other"u8);
        using var client = ClientFor(new StorageHead(Layer.Size, other.ToString()));
        using var matching = ClientFor(new StorageHead(0, Layer.Digest.ToString()));

        Assert.False(await client.BlobExistsAsync(Repo("app"), Layer, CancellationToken.None));
        Assert.True(await matching.BlobExistsAsync(Repo("app"), Layer.Digest, CancellationToken.None));
    }

    [Fact]
    public async Task AManifestFetchedBeforeIsConfirmedWithAHeadNotFetchedAgain()
    {
        var registry = new FakeRegistry();
        var blobs = new MemoryBlobSource();
        var index = TwoPlatformIndex(blobs, seed: 802);
        registry.PutManifest("base", MediaTypes.OciIndex, index.IndexBytes, "1.0");
        var cache = new ManifestCache();
        // The preflight and the publish are separate tasks with separate clients; real clients share the process's cache.
        using var preflight = new RegistryClient(Options(registry), CredentialPurpose.Pull, cache);
        using var publish = new RegistryClient(Options(registry), CredentialPurpose.Pull, cache);

        var first = await preflight.TryGetManifestAsync(Repo("base").WithTag("1.0"), CancellationToken.None);
        var byTag = await publish.TryGetManifestAsync(Repo("base").WithTag("1.0"), CancellationToken.None);
        var byDigest = await publish.TryGetManifestAsync(Repo("base").WithDigest(first!.Digest), CancellationToken.None);

        Assert.Equal(index.IndexBytes, byTag!.Bytes);
        Assert.Equal(first.Digest, byDigest!.Digest);
        var manifestRequests = registry.Requests.Where(r => r.PathAndQuery.Contains("/manifests/")).Select(r => r.Method).ToList();
        Assert.Equal(["GET", "HEAD", "HEAD"], manifestRequests);
    }

    [Fact]
    public async Task AMovedTagIsFetchedAgain()
    {
        var registry = new FakeRegistry();
        var blobs = new MemoryBlobSource();
        var first = TwoPlatformIndex(blobs, seed: 803);
        var second = TwoPlatformIndex(blobs, seed: 804);
        registry.PutManifest("base", MediaTypes.OciIndex, first.IndexBytes, "1.0");
        using var client = Client(registry, purpose: CredentialPurpose.Pull);
        await client.TryGetManifestAsync(Repo("base").WithTag("1.0"), CancellationToken.None);

        registry.PutManifest("base", MediaTypes.OciIndex, second.IndexBytes, "1.0");
        var moved = await client.TryGetManifestAsync(Repo("base").WithTag("1.0"), CancellationToken.None);

        Assert.Equal(second.IndexBytes, moved!.Bytes);
        Assert.Equal(["GET", "HEAD", "GET"], registry.Requests.Where(r => r.PathAndQuery.Contains("/manifests/")).Select(r => r.Method));
    }

    [Fact]
    public async Task DockerHubCountsOnePullPerManifestAcrossThePreflightAndThePublish()
    {
        var registry = new FakeRegistry(mode: RegistryMode.DockerHub);
        var blobs = new MemoryBlobSource();
        var index = TwoPlatformIndex(blobs, seed: 805);
        var hub = new ImageReference("docker.io", "library/base");
        foreach (var image in index.Images)
        {
            foreach (var blob in image.Blobs)
            {
                await using var content = await blobs.OpenReadAsync(blob.Descriptor, CancellationToken.None);
                using var bytes = new MemoryStream();
                await content.CopyToAsync(bytes);
                registry.PutBlob(hub.Repository, bytes.ToArray());
            }
            registry.PutManifest(hub.Repository, MediaTypes.OciManifest, image.ManifestBytes);
        }
        registry.PutManifest(hub.Repository, MediaTypes.OciIndex, index.IndexBytes, "1.0");
        var cache = new ManifestCache();
        using var preflight = new RegistryClient(Options(registry), CredentialPurpose.Pull, cache);
        using var publish = new RegistryClient(Options(registry), CredentialPurpose.Pull, cache);
        var platforms = index.Images.Select(i => i.Descriptor.Platform!).ToList();

        var check = new Build.Images.ImageSourceReader(new RegistryImageSource(preflight, hub.WithTag("1.0")));
        await Build.Publishing.BaseImageSelection.SelectAsync(check, platforms, CancellationToken.None);
        var pinned = new RegistryImageSource(publish, hub.WithTag("1.0"), check.TopDigest);
        await Build.Publishing.BaseImageSelection.SelectAsync(new Build.Images.ImageSourceReader(pinned), platforms, CancellationToken.None);

        // The index and each platform's manifest once; without the cache it was twice each.
        Assert.Equal(1 + platforms.Count, registry.Pulls);
        // Each platform's config once too: the publish takes what the preflight verified.
        foreach (var image in index.Images)
            Assert.Single(registry.Requests, r => r.Method == "GET" && r.PathAndQuery.EndsWith("/blobs/" + image.Manifest.Config.Digest, StringComparison.Ordinal));
    }
}
