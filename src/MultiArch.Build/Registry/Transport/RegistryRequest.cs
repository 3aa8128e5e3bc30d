using System.Net;
using System.Net.Http.Headers;
using MultiArch.Build.Registry.Auth;

namespace MultiArch.Build.Registry.Transport;

/// <summary>
/// One call to a registry API, described so it can be sent again: a retry or a new token builds
/// a fresh <see cref="HttpRequestMessage"/> (and a fresh body) from it.
/// </summary>
internal sealed class RegistryRequest
{
    public RegistryRequest(string registry, HttpMethod method, Uri uri, AuthScope scope, string operation)
    {
        Registry = registry;
        Method = method;
        Uri = uri;
        Scope = scope;
        Operation = operation;
    }

    public string Registry { get; }
    public HttpMethod Method { get; }
    public Uri Uri { get; }
    public AuthScope Scope { get; }

    /// <summary>What the request does, for errors and logs ("HEAD blob sha256:... in app").</summary>
    public string Operation { get; }

    /// <summary>Makes the body for one attempt; null for no body.</summary>
    public Func<CancellationToken, Task<HttpContent>>? Content { get; init; }

    public IReadOnlyList<string> Accept { get; init; } = [];

    /// <summary>
    /// False for uploads: a failed PATCH or PUT may have left part of its body on the server, so
    /// the uploader, not the transport, decides how to go on (it asks the server where it stands).
    /// </summary>
    public bool Replayable { get; init; } = true;

    /// <summary>Statuses handed back to the caller instead of failing (404 for "not there").</summary>
    public IReadOnlyList<HttpStatusCode> Allowed { get; init; } = [];

    /// <summary>Sends no credentials (token service requests carry their own).</summary>
    public bool Anonymous { get; init; }

    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

    /// <summary>
    /// True for blob content, whose success body is handed to the caller unread so it can stream (and resume after a
    /// cut). Every other body is read whole within the attempt, so a body that breaks or stalls is retried like a
    /// failed connection and never reaches the caller half read.
    /// </summary>
    public bool StreamsBody { get; init; }

    /// <summary>The largest success body read within the attempt; a larger one is a protocol error, not a retry.</summary>
    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>Enough for any token, tag list or config; manifests ask for the spec's 4 MiB.</summary>
    public const long DefaultMaxBodyBytes = 16 * 1024 * 1024;
}

/// <summary>
/// A failure worth trying again (a broken connection, new credentials, or 408/429/5xx) on a request the transport may
/// not replay itself: part of an upload body may have reached the registry, so the uploader decides how to go on.
/// </summary>
internal sealed class RegistryTransientException : Exception
{
    public RegistryTransientException(RegistryRequest request, string message, HttpStatusCode? status, Exception? inner = null)
        : base(message, inner)
    {
        Request = request;
        Status = status;
    }

    public RegistryRequest Request { get; }

    public HttpStatusCode? Status { get; }

    /// <summary>True when the connection broke before an answer came: part of the body may be on the registry.</summary>
    public bool BrokeMidBody => Status is null;

    /// <summary>The registry's Retry-After on a 429 or 503; null when it sent none or the connection broke.</summary>
    public RetryConditionHeaderValue? RetryAfter { get; init; }

    /// <summary>The registry's <c>errors[].code</c> values from the failed answer, if it sent any.</summary>
    public string Codes { get; init; } = "";

    /// <summary>The coded error to end with once the caller has no tries left.</summary>
    public Diagnostics.MabException GiveUp(int attempts) =>
        Status == HttpStatusCode.Unauthorized ? Auth.RegistryAuthenticator.Rejected(Request, "")
        : Status is { } status ? RegistryErrors.Failed(Request, status, Codes, attempts)
            : RegistryErrors.Unreachable(Request, InnerException ?? this, attempts);
}
