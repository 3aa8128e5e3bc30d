using System.Net;
using System.Net.Http.Headers;
using MultiArch.Build.Registry.Transport;

namespace MultiArch.Build.Registry.Push;

/// <summary>
/// An upload request that failed in a way worth trying again (a broken connection, new credentials, or 408, 429, 500,
/// 502, 503, 504). Upload requests are not replayed by the transport, since part of a body may have reached the
/// registry; the uploader decides how to go on, and waits as long as the registry's Retry-After asks.
/// </summary>
internal sealed class UploadInterruption : Exception
{
    private static readonly HttpStatusCode[] Retryable =
    [
        HttpStatusCode.RequestTimeout, HttpStatusCode.TooManyRequests, HttpStatusCode.InternalServerError,
        HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout,
    ];

    private UploadInterruption(RegistryTransientException cause, RetryConditionHeaderValue? retryAfter)
        : base(cause.Message, cause)
    {
        Cause = cause;
        RetryAfter = retryAfter;
    }

    public RegistryTransientException Cause { get; }

    public HttpStatusCode? Status => Cause.Status;

    /// <summary>The registry's Retry-After on a 429 or 503; null when it sent none or the connection broke.</summary>
    public RetryConditionHeaderValue? RetryAfter { get; }

    /// <summary>True when the connection broke before an answer came: part of the body may be on the registry.</summary>
    public bool BrokeMidBody => Cause.Status is null;

    /// <summary>The statuses an upload request hands back so the uploader sees Retry-After, plus <paramref name="more"/>.</summary>
    public static HttpStatusCode[] Allowing(params HttpStatusCode[] more) => [.. Retryable, .. more];

    /// <summary>Sends an upload request whose <see cref="RegistryRequest.Allowed"/> came from <see cref="Allowing"/>; a retryable answer or failure becomes an <see cref="UploadInterruption"/>.</summary>
    public static async Task<HttpResponseMessage> SendAsync(RegistryHttp http, RegistryRequest request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryTransientException failure)
        {
            throw new UploadInterruption(failure, null);
        }
        if (!RetryPolicy.IsRetryable(response.StatusCode)) return response;
        using (response)
        {
            string codes = await RegistryErrors.ReadCodesAsync(response, cancellationToken).ConfigureAwait(false);
            var cause = new RegistryTransientException(request, $"{request.Operation} answered {(int)response.StatusCode}", response.StatusCode) { Codes = codes };
            throw new UploadInterruption(cause, response.Headers.RetryAfter);
        }
    }
}
