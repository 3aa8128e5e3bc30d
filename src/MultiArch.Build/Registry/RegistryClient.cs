using System.Net;
using System.Net.Http.Headers;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Registry.Transport;

namespace MultiArch.Build.Registry;

/// <summary>
/// The distribution-spec API of registries: blobs and manifests, for any repository of any
/// registry, for one purpose (pull or push): its tokens are shared across its calls, and a build gets its
/// pull and push clients from <see cref="RegistryClients"/>, which share one connection pool.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private const int MaxManifestBytes = 4 * 1024 * 1024;

    public RegistryClient(RegistryOptions? options = null, CredentialPurpose purpose = CredentialPurpose.Push)
        : this(options ?? new RegistryOptions(), purpose, null)
    {
    }

    /// <param name="manifests">Where verified manifests are kept (<see cref="RegistryClients"/> shares one per process); null keeps the client's own.</param>
    /// <param name="connection">A connection shared with the build's other client (<see cref="RegistryClients"/>); null makes one of its own.</param>
    internal RegistryClient(RegistryOptions options, CredentialPurpose purpose, ManifestCache? manifests, RegistryConnection? connection = null)
    {
        Options = options;
        Http = new RegistryHttp(Options, purpose, connection);
        _manifests = manifests ?? new ManifestCache();
    }

    private readonly ManifestCache _manifests;

    // Registries that answered a referrers request with anything but an index: a registry with the API never answers 404
    // (distribution spec 1.1: an unknown subject gives an empty index), so one such answer holds for every subject.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _noReferrersApi = new(StringComparer.OrdinalIgnoreCase);

    public RegistryOptions Options { get; }

    internal RegistryHttp Http { get; }


    /// <summary>
    /// Whether the repository has the blob. A 200 counts only with a Docker-Content-Digest equal to <paramref name="digest"/>,
    /// so a server that answers 200 to anything (an HTML front page, a misrouted proxy) never makes a blob look present;
    /// without the header (a HEAD redirected to storage) the blob is taken as present only through the overload that knows its size.
    /// </summary>
    public Task<bool> BlobExistsAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken) =>
        BlobExistsAsync(repository, digest, null, cancellationToken);

    /// <summary>
    /// Whether the repository has the blob: a 200 with a Docker-Content-Digest equal to its digest, or, when the registry
    /// redirected the HEAD to storage (which sends no such header), a Content-Length equal to its size.
    /// </summary>
    public Task<bool> BlobExistsAsync(ImageReference repository, Descriptor descriptor, CancellationToken cancellationToken) =>
        BlobExistsAsync(repository, descriptor.Digest, descriptor.Size, cancellationToken);

    private async Task<bool> BlobExistsAsync(ImageReference repository, Digest digest, long? size, CancellationToken cancellationToken)
    {
        var request = new RegistryRequest(repository.Registry, HttpMethod.Head, BlobUri(repository, digest), ScopeFor(repository), $"HEAD blob {digest} in {repository.Repository}")
        {
            Allowed = [HttpStatusCode.NotFound],
        };
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK) return false;
        if (DigestHeader(response) is { } announced)
        {
            if (announced == digest) return true;
            Http.Log.Write(BuildLogLevel.Info, $"Registry {repository.Registry} answered {request.Operation} with the digest {announced}; the blob is sent again.");
            return false;
        }
        if (size is { } expected && response.Content.Headers.ContentLength == expected) return true;
        Http.Log.Write(BuildLogLevel.Debug, $"Registry {repository.Registry} answered 200 to {request.Operation} without Docker-Content-Digest{(size is null ? "" : " or a matching Content-Length")}; the blob is not taken as present.");
        return false;
    }

    /// <summary>
    /// Opens a blob's content as a stream straight from the registry (redirects to storage are followed). The stream
    /// resumes after a cut or stall and fails its last read with MAB2006 unless the blob has the descriptor's size and digest.
    /// </summary>
    public Task<Stream> OpenBlobAsync(ImageReference repository, Descriptor descriptor, CancellationToken cancellationToken) =>
        RegistryBlobStream.OpenAsync(this, repository, descriptor, cancellationToken);

    /// <summary>Reads a small blob (a config) whole and checks it hashes to its digest; a cut or stalled read is retried.</summary>
    public async Task<byte[]> GetSmallBlobAsync(ImageReference repository, Descriptor descriptor, CancellationToken cancellationToken)
    {
        // A config is content-addressed and was verified when first read: the publish does not fetch again what the preflight read.
        var key = repository.WithDigest(descriptor.Digest);
        if (_manifests.Find(key) is { } known) return known.Bytes;
        var request = new RegistryRequest(repository.Registry, HttpMethod.Get, BlobUri(repository, descriptor.Digest), ScopeFor(repository), $"GET blob {descriptor.Digest} from {repository.Repository}");
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!descriptor.Digest.Matches(bytes))
            throw new MabException(ErrorCode.RegistryDigestMismatch, $"Registry {repository.Registry} served blob {descriptor.Digest} of {repository.Repository} with other content (digest {Digest.Compute(bytes)}). The registry or a proxy is corrupting content; try again or use another mirror.");
        _manifests.Add(key, new ImageDocument(descriptor.MediaType, bytes, descriptor.Digest));
        return bytes;
    }

    /// <summary>
    /// Fetches the manifest or index <paramref name="reference"/> names, or null when the registry does not have it.
    /// What this client (or another in the process) fetched before is confirmed with a HEAD instead of fetched again.
    /// </summary>
    public async Task<ImageDocument?> TryGetManifestAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        if (_manifests.Find(reference) is { } cached)
        {
            var head = ManifestRequest(reference, HttpMethod.Head);
            using var confirmed = await Http.SendAsync(head, cancellationToken).ConfigureAwait(false);
            if (confirmed.StatusCode == HttpStatusCode.NotFound) return null;
            if (confirmed.StatusCode == HttpStatusCode.OK && DigestHeader(confirmed) == cached.Digest) return cached;
        }
        var request = ManifestRequest(reference, HttpMethod.Get);
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var digest = Digest.Compute(bytes);
        var expected = reference.Digest ?? DigestHeader(response);
        // sha256 (what registries announce) is compared with the digest just computed; only another algorithm hashes again.
        if (expected is { } announced && (announced.Algorithm == Digest.Sha256 ? announced != digest : !announced.Matches(bytes)))
            throw new MabException(ErrorCode.RegistryDigestMismatch, $"Registry {reference.Registry} served manifest {reference} with content whose digest is {digest}, not {announced}. The registry or a proxy is corrupting content; try again or use another mirror.");
        string mediaType = MediaTypeOf(response, bytes);
        if (!MediaTypes.IsIndex(mediaType) && !MediaTypes.IsManifest(mediaType))
            throw new MabException(ErrorCode.UnsupportedMediaType, $"Registry {reference.Registry} served {reference} as '{mediaType}', which is not an OCI or Docker v2 manifest or index. Push the image again with a current tool, or choose another image.");
        var manifest = new ImageDocument(mediaType, bytes, reference.Digest ?? digest);
        _manifests.Add(reference, manifest);
        return manifest;
    }

    private RegistryRequest ManifestRequest(ImageReference reference, HttpMethod method) =>
        new(reference.Registry, method, ManifestUri(reference, reference.ManifestReference), ScopeFor(reference), $"{method.Method} manifest {reference}")
        {
            Accept = MediaTypes.AcceptManifests,
            Allowed = [HttpStatusCode.NotFound],
            MaxBodyBytes = MaxManifestBytes,
        };

    /// <summary>Puts a manifest or index under a digest or tag. Content-Type is the document's media type.</summary>
    /// <param name="digest">The document's digest when the caller has it already; computed otherwise.</param>
    /// <returns>The subject the registry says it indexed (its <c>OCI-Subject</c> header, sent by registries with the referrers API), or null.</returns>
    public async Task<Digest?> PutManifestAsync(ImageReference repository, string reference, string mediaType, byte[] bytes, Digest? digest, CancellationToken cancellationToken)
    {
        var expected = digest ?? Digest.Compute(bytes);
        var request = new RegistryRequest(repository.Registry, HttpMethod.Put, ManifestUri(repository, reference), AuthScope.Push(repository.Repository), $"PUT manifest {repository.Repository}:{reference}")
        {
            Content = _ => Task.FromResult(Body(bytes, mediaType)),
        };
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new MabException(ErrorCode.RegistryProtocolError, $"Registry {repository.Registry} answered {(int)response.StatusCode} instead of 201 Created to {request.Operation}. Check that it implements the distribution spec.");
        if (DigestHeader(response) is { } stored && stored != expected)
            throw new MabException(ErrorCode.RegistryDigestMismatch, $"Registry {repository.Registry} stored manifest {repository.Repository}:{reference} as {stored}, but its content is {expected}. The registry rewrote the manifest; push to a registry that stores manifests unchanged.");
        return response.Headers.TryGetValues(Referrers.SubjectHeader, out var subjects) && Digest.TryParse(subjects.FirstOrDefault(), out var subject) ? subject : null;
    }

    /// <summary>
    /// The referrers of <paramref name="subject"/> from the registry's referrers API (distribution spec 1.1), or null when the
    /// registry has no such API, so the caller falls back to the referrers tag schema. The spec's answer for that is 404;
    /// registries that predate the API also answer an unknown path with 400, 405 or 501, which mean the same here.
    /// </summary>
    public async Task<ImageIndex?> TryGetReferrersAsync(ImageReference repository, Digest subject, CancellationToken cancellationToken)
    {
        if (_noReferrersApi.ContainsKey(repository.Registry)) return null;
        var request = new RegistryRequest(repository.Registry, HttpMethod.Get, Endpoint(repository).Api($"v2/{repository.Repository}/referrers/{subject}"), ScopeFor(repository), $"GET referrers of {subject} in {repository.Repository}")
        {
            Accept = [MediaTypes.OciIndex],
            Allowed = [HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.MethodNotAllowed, HttpStatusCode.NotImplemented],
            MaxBodyBytes = MaxManifestBytes,
        };
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // Something that is not an index (a front page that answers every path) means no API either.
        var bytes = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false) : null;
        if (bytes is not null && OciJson.LooksLikeIndex(bytes)) return OciJson.DeserializeIndex(bytes);
        _noReferrersApi[repository.Registry] = true;
        return null;
    }

    /// <summary>The repository's tags (one page, as many as the registry returns).</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, CancellationToken cancellationToken)
    {
        var request = new RegistryRequest(repository.Registry, HttpMethod.Get, Endpoint(repository).Api($"v2/{repository.Repository}/tags/list"), ScopeFor(repository), $"GET tags of {repository.Repository}")
        {
            Allowed = [HttpStatusCode.NotFound],
        };
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        return document.RootElement.TryGetProperty("tags", out var tags) && tags.ValueKind == System.Text.Json.JsonValueKind.Array
            ? [.. tags.EnumerateArray().Select(t => t.GetString()!)]
            : [];
    }

    internal RegistryEndpoint Endpoint(ImageReference repository) => Http.Endpoint(repository.Registry);

    internal Uri BlobUri(ImageReference repository, Digest digest) => Endpoint(repository).Api($"v2/{repository.Repository}/blobs/{digest}");

    internal Uri ManifestUri(ImageReference repository, string reference) => Endpoint(repository).Api($"v2/{repository.Repository}/manifests/{reference}");

    internal AuthScope ScopeFor(ImageReference repository) =>
        Http.Purpose == CredentialPurpose.Push ? AuthScope.Push(repository.Repository) : AuthScope.Pull(repository.Repository);

    internal static Digest? DigestHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault(), out var digest) ? digest : null;

    private static HttpContent Body(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static string MediaTypeOf(HttpResponseMessage response, byte[] bytes)
    {
        string? declared = OciJson.PeekMediaType(bytes);
        if (declared is not null) return declared;
        string? header = response.Content.Headers.ContentType?.MediaType;
        if (header is not null && header != "application/json" && header != "text/plain") return header;
        return OciJson.LooksLikeIndex(bytes) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
    }

    public void Dispose() => Http.Dispose();
}
