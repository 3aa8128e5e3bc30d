using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Registry;

/// <summary>
/// An in-process OCI distribution registry behind an <see cref="HttpMessageHandler"/>. It keeps
/// blobs, manifests and tags per repository, refuses manifests whose references are missing (as
/// real registries do), speaks Basic or Bearer auth, injects faults on request, and in a
/// <see cref="RegistryMode"/> other than <see cref="RegistryMode.Distribution"/> behaves like a
/// cloud registry with its quirks (FakeRegistry.Quirks.cs).
/// </summary>
internal sealed partial class FakeRegistry : HttpMessageHandler
{
    public const string Host = "fake.registry.test";
    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<Digest, byte[]>> _blobs = [];
    private readonly Dictionary<string, Dictionary<Digest, (string MediaType, byte[] Bytes)>> _manifests = [];
    private readonly Dictionary<string, Dictionary<string, Digest>> _tags = [];
    private readonly Dictionary<string, FakeUpload> _uploads = [];
    private readonly Dictionary<string, List<RecordedRequest>> _uploadRequests = [];
    private static readonly AsyncLocal<RecordedRequest?> Current = new();
    private readonly List<Fault> _faults = [];
    private readonly FakeTokenService _tokens;
    private int _nextUpload;

    public FakeRegistry(FakeAuth? auth = null, RegistryMode mode = RegistryMode.Distribution)
    {
        Auth = auth ?? FakeAuth.None;
        Mode = mode;
        _tokens = new FakeTokenService(Auth);
    }

    public FakeAuth Auth { get; }
    public RegistryMode Mode { get; }
    public List<RecordedRequest> Requests { get; } = [];
    public bool OmitDigestHeader { get; set; }
    public bool RefuseMounts { get; set; }
    /// <summary>Has the OCI referrers API: answers a manifest PUT that has a subject with OCI-Subject (and keeps no tag for it).</summary>
    public bool ReferrersApi { get; set; }
    /// <summary>Refuses manifest PUTs under tags starting with this (a registry that will not take the referrers tag).</summary>
    public string? RefuseTagPrefix { get; set; }
    /// <summary>Drops an upload whose PATCH broke (as distribution does once its upload state no longer matches).</summary>
    public bool LoseUploadOnReset { get; set; }
    /// <summary>Hands out absolute upload locations on another host (as registries backed by object storage do); that host needs no auth.</summary>
    public string? UploadHost { get; set; }
    public long? ChunkMinLength { get; set; }
    /// <summary>Manifests served with other bytes than stored (a corrupting registry or proxy).</summary>
    public HashSet<Digest> CorruptManifests { get; } = [];
    /// <summary>Called after each request is answered (outside the registry's lock): another client acting between two of ours.</summary>
    public Action<RecordedRequest>? AfterRequest { get; set; }
    public int TokenRequests => _tokens.Issued;
    public IReadOnlyList<string> IssuedTokens => _tokens.IssuedTokens;

    public void AddFault(Fault fault) { lock (_gate) _faults.Add(fault); }

    public bool HasBlob(string repository, Digest digest) { lock (_gate) return _blobs.GetValueOrDefault(repository)?.ContainsKey(digest) == true; }
    public byte[]? Blob(string repository, Digest digest) { lock (_gate) return _blobs.GetValueOrDefault(repository)?.GetValueOrDefault(digest); }
    public bool HasManifest(string repository, Digest digest) { lock (_gate) return _manifests.GetValueOrDefault(repository)?.ContainsKey(digest) == true; }
    public (string MediaType, byte[] Bytes) Manifest(string repository, Digest digest) { lock (_gate) return _manifests[repository][digest]; }
    public Digest? Tag(string repository, string tag) { lock (_gate) return _tags.GetValueOrDefault(repository)?.TryGetValue(tag, out var d) == true ? d : null; }
    public int TagCount(string repository) { lock (_gate) return _tags.GetValueOrDefault(repository)?.Count ?? 0; }
    public int BlobCount(string repository) { lock (_gate) return _blobs.GetValueOrDefault(repository)?.Count ?? 0; }

    public void DeleteManifest(string repository, Digest digest) { lock (_gate) _manifests[repository].Remove(digest); }

    public void PutBlob(string repository, byte[] content) { lock (_gate) Bucket(_blobs, repository)[Digest.Compute(content)] = content; }

    public Digest PutManifest(string repository, string mediaType, byte[] bytes, string? tag = null)
    {
        var digest = Digest.Compute(bytes);
        lock (_gate)
        {
            Bucket(_manifests, repository)[digest] = (mediaType, bytes);
            if (tag is not null) Bucket(_tags, repository)[tag] = digest;
        }
        return digest;
    }

    /// <summary>Requests whose path names <paramref name="digest"/> (blob HEAD/GET/PUT with ?digest=, mounts).</summary>
    public List<RecordedRequest> RequestsFor(Digest digest) { lock (_gate) return Requests.Where(r => r.Blob == digest || r.PathAndQuery.Contains(digest.Hex, StringComparison.Ordinal)).ToList(); }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        string pathAndQuery = Uri.UnescapeDataString(request.RequestUri.PathAndQuery);
        var recorded = new RecordedRequest(request.Method.Method, pathAndQuery, request.Headers.Authorization?.ToString(), request.Content?.Headers.TryGetValues("Content-Range", out var r) == true ? r.First() : null)
        {
            UserAgent = request.Headers.UserAgent.ToString(),
            Host = request.RequestUri.Host,
            Cookie = request.Headers.TryGetValues("Cookie", out var cookies) ? string.Join("; ", cookies) : null,
        };
        lock (_gate) Requests.Add(recorded);
        Current.Value = recorded;
        await Task.Yield();

        var response = await AnswerAsync(request, path, pathAndQuery, cancellationToken);
        recorded.Status = (int)response.StatusCode;
        AfterRequest?.Invoke(recorded);
        return Decorate(response);
    }

    private async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, string path, string pathAndQuery, CancellationToken cancellationToken)
    {
        if (path == "/token") return _tokens.Issue(request);
        Fault? fault;
        lock (_gate)
        {
            fault = _faults.FirstOrDefault(f => f.Remaining > 0 && f.Method == request.Method.Method && f.Matches(pathAndQuery));
            if (fault is not null) fault.Remaining--;
        }
        if (fault is { ResetAfterBytes: { } cut })
        {
            var received = await ReceivePartialAsync(request, cut, cancellationToken);
            KeepPartialChunk(request, path, received);
            throw new HttpRequestException("The connection was reset by the peer.", new IOException("Connection reset by peer"));
        }
        if (fault is { Status: { } status }) return Error(status, "FAULT", fault.RetryAfter);
        if (Refuse(request, path) is { } refused) return refused;

        bool storage = UploadHost is not null && request.RequestUri!.Host == UploadHost;
        if (!storage && !_tokens.Authorizes(request, out var challenge)) return Unauthorized(challenge);
        if (path == "/v2/") return new HttpResponseMessage(HttpStatusCode.OK);
        if (CountPull(request, path) is { } limited) return limited;
        return await RouteAsync(request, path, fault, cancellationToken);
    }

    private async Task<HttpResponseMessage> RouteAsync(HttpRequestMessage request, string path, Fault? fault, CancellationToken cancellationToken)
    {
        string method = request.Method.Method;
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
        int uploads = path.IndexOf("/blobs/uploads/", StringComparison.Ordinal);
        if (uploads > 0)
        {
            string repo = path[4..uploads];
            string id = path[(uploads + "/blobs/uploads/".Length)..];
            return id.Length == 0 ? StartUpload(repo, query) : await ContinueUploadAsync(method, id, request, query, fault, cancellationToken);
        }
        int blobs = path.IndexOf("/blobs/", StringComparison.Ordinal);
        if (blobs > 0) return GetBlob(method, path[4..blobs], Digest.Parse(path[(blobs + 7)..]));
        int manifests = path.IndexOf("/manifests/", StringComparison.Ordinal);
        if (manifests > 0)
        {
            string repo = path[4..manifests];
            string reference = path[(manifests + 11)..];
            return method == "PUT" ? await PutManifestAsync(repo, reference, request, cancellationToken) : GetManifest(method, repo, reference);
        }
        if (path.EndsWith("/tags/list", StringComparison.Ordinal))
        {
            string repo = path[4..^10];
            lock (_gate)
            {
                var tags = _tags.GetValueOrDefault(repo)?.Keys.Order().ToArray() ?? [];
                return Json(HttpStatusCode.OK, JsonSerializer.Serialize(new Dictionary<string, object> { ["name"] = repo, ["tags"] = tags }));
            }
        }
        return Error(HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    private HttpResponseMessage GetBlob(string method, string repo, Digest digest)
    {
        var bytes = Blob(repo, digest);
        if (bytes is null) return Error(HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(method == "HEAD" ? [] : bytes) };
        response.Content.Headers.ContentLength = bytes.Length;
        AddDigest(response, digest);
        return response;
    }

    private HttpResponseMessage StartUpload(string repo, System.Collections.Specialized.NameValueCollection query)
    {
        lock (_gate)
        {
            if (RefuseStart(query) is { } refused) return refused;
            if (query["mount"] is { } mount && query["from"] is { } from && !RefuseMounts
                && _blobs.GetValueOrDefault(from)?.TryGetValue(Digest.Parse(mount), out var content) == true)
            {
                Bucket(_blobs, repo)[Digest.Parse(mount)] = content;
                var created = new HttpResponseMessage(HttpStatusCode.Created);
                created.Headers.Location = new Uri($"/v2/{repo}/blobs/{mount}", UriKind.Relative);
                AddDigest(created, Digest.Parse(mount));
                return created;
            }
            string id = $"u{++_nextUpload}";
            _uploads[id] = new FakeUpload(repo);
            _uploadRequests[id] = [Current.Value!];
            var response = new HttpResponseMessage(HttpStatusCode.Accepted);
            response.Headers.Location = UploadHost is null
                ? new Uri($"/v2/{repo}/blobs/uploads/{id}?_state=s{id}", UriKind.Relative)
                : new Uri($"https://{UploadHost}/v2/{repo}/blobs/uploads/{id}?_state=s{id}");
            response.Headers.TryAddWithoutValidation("Range", "0-0");
            if (ChunkMinLength is { } min) response.Headers.TryAddWithoutValidation("OCI-Chunk-Min-Length", min.ToString());
            return response;
        }
    }

    private async Task<HttpResponseMessage> ContinueUploadAsync(string method, string id, HttpRequestMessage request, System.Collections.Specialized.NameValueCollection query, Fault? fault, CancellationToken cancellationToken)
    {
        FakeUpload? upload;
        lock (_gate)
        {
            if (!_uploads.TryGetValue(id, out upload)) return Error(HttpStatusCode.NotFound, LosesUploads ? "BLOB_UPLOAD_INVALID" : "BLOB_UPLOAD_UNKNOWN");
            _uploadRequests[id].Add(Current.Value!);
        }
        if (method == "GET") return Progress(HttpStatusCode.NoContent, upload.Repository, id, upload.Data.Length);
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        lock (_gate)
        {
            if (method == "PATCH")
            {
                if (request.Content!.Headers.TryGetValues("Content-Range", out var ranges))
                {
                    if (ParseContentRange(ranges.First()) is not { } range || range.End - range.Start + 1 != body.Length)
                        return Mode == RegistryMode.Acr ? Error(HttpStatusCode.BadRequest, "BLOB_UPLOAD_INVALID", message: "the Content-Range header format is invalid") : Error(HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
                    if (range.Start != upload.Data.Length) return Error(HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
                }
                if (RefuseChunk(upload, body) is { } refused) return refused;
                long before = upload.Data.Length;
                if (KeepsChunk(upload) && fault is not { ForgetBody: true }) upload.Data.Write(body);
                upload.Parts.Add(body.Length);
                long reported = fault is { ForgetBody: true } ? before + body.Length : fault is { StaleRange: true } ? before : upload.Data.Length;
                return Progress(Mode == RegistryMode.Ecr ? HttpStatusCode.Created : HttpStatusCode.Accepted, upload.Repository, id, reported);
            }
            upload.Data.Write(body);
            var content = upload.Data.ToArray();
            var digest = Digest.Parse(query["digest"]!);
            if (Digest.Compute(content) != digest) return Error(HttpStatusCode.BadRequest, "DIGEST_INVALID");
            _uploads.Remove(id);
            foreach (var part in _uploadRequests[id]) part.Blob = digest;
            Bucket(_blobs, upload.Repository)[digest] = content;
            var created = new HttpResponseMessage(HttpStatusCode.Created);
            created.Headers.Location = new Uri($"/v2/{upload.Repository}/blobs/{digest}", UriKind.Relative);
            AddDigest(created, digest);
            return created;
        }
    }

    /// <summary>The spec's <c>&lt;start&gt;-&lt;end&gt;</c>; null for anything else (<c>bytes 0-9/*</c> among them).</summary>
    private static (long Start, long End)? ParseContentRange(string value)
    {
        var match = System.Text.RegularExpressions.Regex.Match(value, "^([0-9]+)-([0-9]+)$");
        return match.Success ? (long.Parse(match.Groups[1].Value), long.Parse(match.Groups[2].Value)) : null;
    }

    private HttpResponseMessage Progress(HttpStatusCode status, string repo, string id, long length)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.Location = new Uri($"/v2/{repo}/blobs/uploads/{id}?_state=s{id}-{length}", UriKind.Relative);
        response.Headers.TryAddWithoutValidation("Range", $"0-{Math.Max(0, length - 1)}");
        return response;
    }

    private HttpResponseMessage GetManifest(string method, string repo, string reference)
    {
        lock (_gate)
        {
            Digest digest;
            if (Digest.TryParse(reference, out var parsed)) digest = parsed;
            else if (_tags.GetValueOrDefault(repo)?.TryGetValue(reference, out var tagged) == true) digest = tagged;
            else return Error(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
            if (_manifests.GetValueOrDefault(repo)?.TryGetValue(digest, out var stored) != true) return Error(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
            var bytes = CorruptManifests.Contains(digest) ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(stored.Bytes).Replace("\"schemaVersion\":2", "\"schemaVersion\":2 ")) : stored.Bytes;
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(method == "HEAD" ? [] : bytes) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue(stored.MediaType);
            AddDigest(response, digest);
            return response;
        }
    }

    private async Task<HttpResponseMessage> PutManifestAsync(string repo, string reference, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var bytes = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        string mediaType = request.Content.Headers.ContentType?.MediaType ?? "";
        var digest = Digest.Compute(bytes);
        if (Digest.TryParse(reference, out var named) && named != digest) return Error(HttpStatusCode.BadRequest, "DIGEST_INVALID");
        if (RefuseTagPrefix is { } refused && reference.StartsWith(refused, StringComparison.Ordinal)) return Error(HttpStatusCode.Forbidden, "DENIED");
        lock (_gate)
        {
            if (MediaTypes.IsIndex(mediaType))
            {
                var index = OciJson.DeserializeIndex(bytes);
                if (index.Manifests.Any(m => _manifests.GetValueOrDefault(repo)?.ContainsKey(m.Digest) != true)) return Error(HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
            }
            else if (MediaTypes.IsManifest(mediaType))
            {
                var manifest = OciJson.DeserializeManifest(bytes);
                if (manifest.Layers.Append(manifest.Config).Any(l => _blobs.GetValueOrDefault(repo)?.ContainsKey(l.Digest) != true)) return Error(HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
            }
            else return Error(HttpStatusCode.BadRequest, "MANIFEST_INVALID");
            Bucket(_manifests, repo)[digest] = (mediaType, bytes);
            if (!Digest.TryParse(reference, out _)) Bucket(_tags, repo)[reference] = digest;
        }
        var response = new HttpResponseMessage(HttpStatusCode.Created);
        response.Headers.Location = new Uri($"/v2/{repo}/manifests/{digest}", UriKind.Relative);
        AddDigest(response, digest);
        if (ReferrersApi && MediaTypes.IsManifest(mediaType) && OciJson.DeserializeManifest(bytes).Subject is { } subject)
            response.Headers.TryAddWithoutValidation("OCI-Subject", subject.Digest.ToString());
        return response;
    }

    /// <summary>Like a real registry, keeps the bytes of a broken PATCH that did arrive; the client must resume after them.</summary>
    private void KeepPartialChunk(HttpRequestMessage request, string path, byte[] received)
    {
        int uploads = path.IndexOf("/blobs/uploads/", StringComparison.Ordinal);
        if (request.Method.Method != "PATCH" || uploads < 0) return;
        lock (_gate)
        {
            string id = path[(uploads + "/blobs/uploads/".Length)..];
            if (LosesUploads) _uploads.Remove(id);
            else if (_uploads.TryGetValue(id, out var upload)) upload.Data.Write(received);
        }
    }

    private static async Task<byte[]> ReceivePartialAsync(HttpRequestMessage request, long cut, CancellationToken cancellationToken)
    {
        if (request.Content is null) return [];
        await using var stream = await request.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[cut];
        int read = 0;
        while (read < cut)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0) break;
            read += n;
        }
        return buffer[..read];
    }

    private void AddDigest(HttpResponseMessage response, Digest digest)
    {
        if (!OmitDigestHeader) response.Headers.TryAddWithoutValidation("Docker-Content-Digest", digest.ToString());
    }

    private HttpResponseMessage Unauthorized(string challenge)
    {
        if (Mode == RegistryMode.DockerHub)
            challenge = challenge.Replace($"//{Host}/token", $"//{DockerHubAuthHost}/token", StringComparison.Ordinal).Replace("\"fake-service\"", "\"registry.docker.io\"", StringComparison.Ordinal);
        var response = Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", challenge);
        return response;
    }

    public static HttpResponseMessage Error(HttpStatusCode status, string code, TimeSpan? retryAfter = null, string message = "injected or refused")
    {
        var response = Json(status, JsonSerializer.Serialize(new { errors = new[] { new { code, message } } }));
        if (retryAfter is { } delay) response.Headers.RetryAfter = new RetryConditionHeaderValue(delay);
        return response;
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static Dictionary<TKey, TValue> Bucket<TKey, TValue>(Dictionary<string, Dictionary<TKey, TValue>> all, string repo) where TKey : notnull
    {
        if (!all.TryGetValue(repo, out var bucket)) all[repo] = bucket = [];
        return bucket;
    }
}

/// <summary>One request the fake registry received.</summary>
internal sealed record RecordedRequest(string Method, string PathAndQuery, string? Authorization, string? ContentRange)
{
    /// <summary>The blob this request served, once known (an upload's POST learns it when the upload closes).</summary>
    public Digest? Blob { get; set; }

    public string UserAgent { get; init; } = "";

    /// <summary>The host the request went to (an API host, a storage host, a token service).</summary>
    public string Host { get; init; } = "";

    /// <summary>The Cookie header the client sent, if any.</summary>
    public string? Cookie { get; init; }

    /// <summary>The status the registry answered (0 when the connection was cut).</summary>
    public int Status { get; set; }
}

/// <summary>An open upload: its bytes, and the length of every PATCH it took.</summary>
internal sealed class FakeUpload(string repository)
{
    public string Repository { get; } = repository;
    public MemoryStream Data { get; } = new();
    public List<long> Parts { get; } = [];
}

/// <summary>A fault to inject: on requests of a method whose path contains a text, answer a status or cut the connection.</summary>
internal sealed class Fault
{
    public required string Method { get; init; }
    public required string PathContains { get; init; }
    public HttpStatusCode? Status { get; init; }
    public TimeSpan? RetryAfter { get; init; }
    /// <summary>Read this many body bytes, then reset the connection.</summary>
    public long? ResetAfterBytes { get; init; }
    /// <summary>Answer a PATCH as if its bytes were kept, and drop them (a registry that loses a chunk it acknowledged).</summary>
    public bool ForgetBody { get; init; }
    /// <summary>Keep a PATCH's bytes, but answer with the Range from before it (a registry whose answers lag behind).</summary>
    public bool StaleRange { get; init; }
    /// <summary>Skip this many matching requests before failing.</summary>
    public int Skip { get; set; }
    public int Remaining { get; set; } = 1;

    public bool Matches(string pathAndQuery)
    {
        if (!pathAndQuery.Contains(PathContains, StringComparison.Ordinal)) return false;
        if (Skip > 0) { Skip--; return false; }
        return true;
    }
}
