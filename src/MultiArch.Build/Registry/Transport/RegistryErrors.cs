using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Registry.Transport;

/// <summary>Turns failed registry answers into coded errors that name the registry, the operation, the status and the registry's own error codes.</summary>
internal static class RegistryErrors
{
    /// <summary>The most of an error body that is read: enough for any distribution-spec error body; an HTML error page beyond it is of no use.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>The <c>errors[].code</c> values of a distribution-spec error body, joined; empty when there are none.</summary>
    public static async Task<string> ReadCodesAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (bytes.Length == 0 || bytes.Length > MaxBodyBytes) return "";
            using var document = JsonDocument.Parse(bytes);
            if (!document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array) return "";
            var codes = errors.EnumerateArray()
                .Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null)
                .Where(c => !string.IsNullOrEmpty(c));
            return string.Join(", ", codes);
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or IOException)
        {
            return "";
        }
    }

    public static MabException Failed(RegistryRequest request, HttpStatusCode status, string codes, int attempts)
    {
        string errors = codes.Length == 0 ? "" : $" (registry errors: {codes})";
        string tries = attempts > 1 ? $" after {attempts} tries" : "";
        string advice = RetryPolicy.IsRetryable(status)
            ? "The registry is overloaded or failing; try again later, or raise the retry count."
            : "Check the image name and that the registry supports this operation.";
        return new MabException(ErrorCode.RegistryRequestFailed,
            $"Registry {request.Registry} answered {(int)status} {status} to {request.Operation}{errors}{tries}. {advice}");
    }

    public static MabException Unreachable(RegistryRequest request, Exception cause, int attempts) =>
        new(ErrorCode.RegistryUnreachable,
            $"Could not reach registry {request.Registry} for {request.Operation} after {attempts} tries: {Describe(cause)}. Check the registry address, network and TLS setup; a registry without TLS must be listed in {RegistryOptions.InsecureRegistriesVariable}.",
            cause);

    public static MabException Denied(RegistryRequest request, string codes) =>
        new(ErrorCode.RegistryAccessDenied,
            $"Registry {request.Registry} denied access for {request.Operation}{(codes.Length == 0 ? "" : $" (registry errors: {codes})")}. Check that the account may {(request.Scope.Key.Contains("push", StringComparison.Ordinal) ? "push to" : "read")} this repository.");

    public static MabException TooLarge(RegistryRequest request, long bytes, long limit) =>
        new(ErrorCode.RegistryProtocolError,
            $"Registry {request.Registry} answered {request.Operation} with {(bytes > limit ? "more than " + limit : bytes.ToString(System.Globalization.CultureInfo.InvariantCulture))} bytes; at most {limit} are expected. Check the reference, and that {request.Registry} is a container registry.");

    /// <summary>
    /// The coded error for a failure no retry can fix, or null for one worth retrying. A certificate that is not
    /// trusted (or a server that does not speak TLS) and a host name that does not exist fail at once; a refused or
    /// reset connection does not, since a restarting registry refuses connections for a few seconds.
    /// </summary>
    public static MabException? Permanent(RegistryRequest request, Exception failure)
    {
        string host = request.Uri.IsDefaultPort ? request.Uri.Host : $"{request.Uri.Host}:{request.Uri.Port}";
        string forRegistry = string.Equals(request.Uri.Host, RegistryEndpoint.HostOf(request.Registry), StringComparison.OrdinalIgnoreCase) ? "" : $" (for registry {request.Registry})";
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException)
            {
                return new MabException(ErrorCode.RegistryTlsFailed,
                    $"The TLS connection to {host}{forRegistry} for {request.Operation} failed: {e.Message} " +
                    "If the registry's certificate is issued by a private CA, trust that CA: add it to the system's certificate store (Debian/Ubuntu: copy it to /usr/local/share/ca-certificates/ and run update-ca-certificates) or point SSL_CERT_FILE at a PEM file that holds it. " +
                    $"If the certificate names another host, use the name it was issued for. If the registry has no TLS at all, list it in ContainerInsecureRegistries (or {RegistryOptions.InsecureRegistriesVariable}) so it is reached over plain HTTP.",
                    failure);
            }
            if (e is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData })
            {
                return new MabException(ErrorCode.RegistryHostNotFound,
                    $"The host name {request.Uri.Host}{forRegistry} does not resolve ({e.Message}), so {request.Operation} cannot be sent. Check the spelling of the registry in the image reference or ContainerRegistry, and the machine's DNS setup.",
                    failure);
            }
        }
        return null;
    }

    /// <summary>
    /// True for a connection that failed, broke mid-body or stalled (a timeout, not the caller's cancellation): worth
    /// sending again, or resuming a blob from where it stopped.
    /// </summary>
    public static bool IsConnectionFailure(Exception failure, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && failure is HttpRequestException or IOException or OperationCanceledException or TimeoutException;

    /// <summary>A coded error carried inside a transport failure (a blob source that failed while its bytes were being sent).</summary>
    public static MabException? CodedCause(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is MabException coded) return coded;
        }
        return null;
    }

    /// <summary>A short cause: the innermost message, which for sockets and TLS says what went wrong and holds no secrets.</summary>
    public static string Describe(Exception exception)
    {
        if (exception is TimeoutException) return exception.Message;
        if (exception is TaskCanceledException) return "the request timed out";
        var inner = exception;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return inner == exception ? exception.Message : $"{exception.Message} ({inner.Message})";
    }
}
