using System.Net;

namespace MultiArch.Build.Tests.Registry;

/// <summary>Which registry the fake behaves like. Each mode adds the quirks that registry is known for.</summary>
public enum RegistryMode
{
    /// <summary>The CNCF distribution registry: the spec as written.</summary>
    Distribution,
    /// <summary>
    /// Amazon ECR: PATCH answers 201 instead of 202; a chunk other than the last must be at least 5 MiB (the next
    /// PATCH is refused otherwise); chunks after the first are acknowledged but dropped (the Range does not move);
    /// a PATCH that starts anywhere but the end of what it holds (an upload that restarts) is answered 416.
    /// </summary>
    Ecr,
    /// <summary>Google Artifact Registry: no chunked uploads at all, only POST then one PUT with the whole body.</summary>
    ArtifactRegistry,
    /// <summary>GitHub Container Registry: a PATCH body over 4 MiB is answered 416 (the session stays usable).</summary>
    Ghcr,
    /// <summary>
    /// Azure Container Registry: a Content-Range not in the spec's <c>&lt;start&gt;-&lt;end&gt;</c> form (such as .NET's
    /// <c>bytes 0-N/*</c>) is refused with 400, and an upload whose PATCH broke is gone (404 BLOB_UPLOAD_INVALID).
    /// </summary>
    Acr,
    /// <summary>Quay: <c>mount=</c> without <c>from=</c> is refused with 400 INVALID_REQUEST instead of opening an upload.</summary>
    Quay,
    /// <summary>Harbor: every answer sets session and CSRF cookies, and a write that sends them back is refused (403 CSRF token invalid).</summary>
    Harbor,
    /// <summary>
    /// Docker Hub: the API lives on registry-1.docker.io only; repositories have a namespace (official images are
    /// library/&lt;name&gt;); tokens come from auth.docker.io for the service registry.docker.io; manifest GETs are pulls counted against a rate limit (<see cref="FakeRegistry.PullLimit"/>), HEADs are free.
    /// </summary>
    DockerHub,
}

internal sealed partial class FakeRegistry
{
    public const long EcrMinimumPart = 5L * 1024 * 1024;
    public const long GhcrMaximumRequest = 4L * 1024 * 1024;
    public const string DockerHubApiHost = "registry-1.docker.io";
    public const string DockerHubAuthHost = "auth.docker.io";
    private int _pulls;

    /// <summary>Docker Hub mode: manifest GETs allowed before 429 TOOMANYREQUESTS; null for no limit.</summary>
    public int? PullLimit { get; set; }

    /// <summary>Manifest GETs so far (what Docker Hub counts as pulls).</summary>
    public int Pulls { get { lock (_gate) return _pulls; } }

    /// <summary>Whether an upload whose PATCH broke is dropped instead of kept for a resume.</summary>
    private bool LosesUploads => LoseUploadOnReset || Mode == RegistryMode.Acr;

    /// <summary>Refusals that come before auth and routing: cookies sent back to Harbor, Docker Hub's hosts and names.</summary>
    private HttpResponseMessage? Refuse(HttpRequestMessage request, string path)
    {
        bool write = request.Method != HttpMethod.Get && request.Method != HttpMethod.Head;
        if (Mode == RegistryMode.Harbor && write && request.Headers.Contains("Cookie"))
            return Error(HttpStatusCode.Forbidden, "FORBIDDEN", message: "CSRF token invalid");
        if (Mode != RegistryMode.DockerHub || UploadHost is not null && request.RequestUri!.Host == UploadHost) return null;
        if (request.RequestUri!.Host != DockerHubApiHost) return Error(HttpStatusCode.NotFound, "NOT_FOUND", message: "not the registry API; use registry-1.docker.io");
        string? repository = RepositoryOf(path);
        if (repository is not null && !repository.Contains('/')) return Error(HttpStatusCode.NotFound, "NAME_UNKNOWN", message: "repository name not known to registry");
        return null;
    }

    /// <summary>Docker Hub counts an authorized manifest GET as a pull, and answers 429 past the limit.</summary>
    private HttpResponseMessage? CountPull(HttpRequestMessage request, string path)
    {
        if (Mode != RegistryMode.DockerHub || request.Method != HttpMethod.Get || !path.Contains("/manifests/", StringComparison.Ordinal)) return null;
        lock (_gate)
        {
            if (PullLimit is { } limit && _pulls >= limit) return Error(HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS", TimeSpan.FromHours(6), "You have reached your pull rate limit.");
            _pulls++;
        }
        return null;
    }

    /// <summary>Quay refuses a mount that does not say where from.</summary>
    private HttpResponseMessage? RefuseStart(System.Collections.Specialized.NameValueCollection query) =>
        Mode == RegistryMode.Quay && query["mount"] is not null && query["from"] is null
            ? Error(HttpStatusCode.BadRequest, "INVALID_REQUEST", message: "Invalid request")
            : null;

    /// <summary>What ECR, Artifact Registry and GHCR say to a chunk the distribution registry would take.</summary>
    private HttpResponseMessage? RefuseChunk(FakeUpload upload, byte[] body) => Mode switch
    {
        RegistryMode.ArtifactRegistry => Error(HttpStatusCode.MethodNotAllowed, "UNSUPPORTED", message: "chunked uploads are not supported; use a monolithic upload"),
        RegistryMode.Ghcr when body.Length > GhcrMaximumRequest => Error(HttpStatusCode.RequestedRangeNotSatisfiable, "REQUESTED_RANGE_NOT_SATISFIABLE", message: "the request body is too large and exceeds the maximum permissible limit of 4.00MiB"),
        RegistryMode.Ecr when upload.Parts.Count > 0 && upload.Parts[^1] < EcrMinimumPart => Error(HttpStatusCode.BadRequest, "BLOB_UPLOAD_INVALID", message: "layer part size must be at least 5 MiB"),
        _ => null,
    };

    /// <summary>ECR keeps only the first chunk of an upload.</summary>
    private bool KeepsChunk(FakeUpload upload) => Mode != RegistryMode.Ecr || upload.Parts.Count == 0;

    /// <summary>Harbor's cookies on every answer (no Secure attribute, so a loopback test over plain HTTP sees them too).</summary>
    private HttpResponseMessage Decorate(HttpResponseMessage response)
    {
        if (Mode == RegistryMode.Harbor)
        {
            response.Headers.TryAddWithoutValidation("Set-Cookie", $"sid={Guid.NewGuid():N}; Path=/; HttpOnly");
            response.Headers.TryAddWithoutValidation("Set-Cookie", $"__csrf={Guid.NewGuid():N}; Path=/; SameSite=Strict");
        }
        return response;
    }

    /// <summary>The repository a /v2/ path names, or null for /v2/ itself and other paths.</summary>
    private static string? RepositoryOf(string path)
    {
        if (!path.StartsWith("/v2/", StringComparison.Ordinal)) return null;
        int end = new[] { "/blobs/", "/manifests/", "/tags/" }.Select(p => path.IndexOf(p, StringComparison.Ordinal)).Where(i => i > 3).DefaultIfEmpty(-1).Min();
        return end < 0 ? null : path[4..end];
    }
}
