using System.Net;
using System.Text.Json;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Registry.Transport;

/// <summary>Turns failed registry answers into coded errors that name the registry, the operation, the status and the registry's own error codes.</summary>
internal static class RegistryErrors
{
    private const int MaxBodyBytes = 16 * 1024;

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

    /// <summary>A short cause: the innermost message, which for sockets and TLS says what went wrong and holds no secrets.</summary>
    public static string Describe(Exception exception)
    {
        if (exception is TaskCanceledException or TimeoutException) return "the request timed out";
        var inner = exception;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return inner == exception ? exception.Message : $"{exception.Message} ({inner.Message})";
    }
}
