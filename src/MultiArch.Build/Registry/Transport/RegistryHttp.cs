using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Registry.Auth;

namespace MultiArch.Build.Registry.Transport;

/// <summary>
/// Sends registry requests: picks the endpoint, adds credentials, answers auth challenges, and
/// retries what is worth retrying. Never logs headers, so no secret reaches a log.
/// </summary>
internal sealed class RegistryHttp : IDisposable
{
    private const int MaxAuthRounds = 2;
    private readonly ConcurrentDictionary<string, RegistryAuthenticator> _authenticators = new(StringComparer.OrdinalIgnoreCase);
    private readonly RegistryConnection _connection;
    private readonly bool _ownsConnection;
    private readonly TokenCache _tokens;

    /// <param name="connection">The connection pool and credential store shared with the build's other client; null makes one of its own.</param>
    public RegistryHttp(RegistryOptions options, CredentialPurpose purpose, RegistryConnection? connection = null)
    {
        Options = options;
        Purpose = purpose;
        Retry = new RetryPolicy(options);
        _ownsConnection = connection is null;
        _connection = connection ?? new RegistryConnection(options);
        _tokens = new TokenCache(options.Time);
    }

    public static string Version { get; } =
        typeof(RegistryHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public RegistryOptions Options { get; }
    public CredentialPurpose Purpose { get; }
    public RetryPolicy Retry { get; }
    public IBuildLog Log => Options.Log;

    public RegistryEndpoint Endpoint(string registry) => _connection.Endpoint(registry);

    private RegistryAuthenticator Authenticator(string registry) =>
        _authenticators.GetOrAdd(registry, r => new RegistryAuthenticator(r, Purpose, this, _connection.Credentials, _tokens));

    /// <summary>
    /// Sends the request and returns a response whose status is 2xx, 3xx or one of <see cref="RegistryRequest.Allowed"/>.
    /// Anything else ends in a coded error, or for a non-replayable request that hit a transient failure, a <see cref="RegistryTransientException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(RegistryRequest request, CancellationToken cancellationToken)
    {
        var authenticator = request.Anonymous || !CredentialPolicy.IsRegistryItself(request.Uri, Endpoint(request.Registry).BaseUri) ? null : Authenticator(request.Registry);
        int authRounds = 0;
        for (int attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            AuthenticationHeaderValue? sent = authenticator is null ? null : await authenticator.HeaderForAsync(request.Scope, cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response;
            try
            {
                response = await SendOnceAsync(request, sent, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (RegistryErrors.CodedCause(ex) is { } coded && ex is not MabException)
            {
                // A blob source that failed while its bytes were being sent says why itself.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(coded).Throw();
                throw;
            }
            catch (Exception ex) when (RegistryErrors.IsConnectionFailure(ex, cancellationToken))
            {
                if (RegistryErrors.Permanent(request, ex) is { } permanent) throw permanent;
                if (!request.Replayable) throw new RegistryTransientException(request, $"{request.Operation} failed: {RegistryErrors.Describe(ex)}", null, ex);
                if (attempt >= Retry.MaxAttempts) throw RegistryErrors.Unreachable(request, ex, attempt);
                Log.Write(BuildLogLevel.Info, $"{request.Operation} on {request.Registry} failed ({RegistryErrors.Describe(ex)}); retrying.");
                await Retry.WaitAsync(attempt + 1, null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var status = response.StatusCode;
            if ((int)status < 400 || request.Allowed.Contains(status)) return response;

            using (response)
            {
                if (status == HttpStatusCode.Unauthorized && authenticator is not null && ++authRounds <= MaxAuthRounds)
                {
                    await authenticator.RespondToChallengeAsync(response, request, sent, cancellationToken).ConfigureAwait(false);
                    attempt--;
                    if (!request.Replayable) throw new RegistryTransientException(request, $"{request.Operation} needed new credentials", status);
                    continue;
                }
                string codes = await RegistryErrors.ReadCodesAsync(response, cancellationToken).ConfigureAwait(false);
                if (status == HttpStatusCode.Unauthorized)
                    throw authenticator is null ? RegistryAuthenticator.Rejected(request, codes) : await authenticator.RefusedAsync(request, codes).ConfigureAwait(false);
                if (status == HttpStatusCode.Forbidden) throw RegistryErrors.Denied(request, codes);
                if (!RetryPolicy.IsRetryable(status)) throw RegistryErrors.Failed(request, status, codes, attempt);
                if (!request.Replayable) throw new RegistryTransientException(request, $"{request.Operation} answered {(int)status}", status) { Codes = codes, RetryAfter = response.Headers.RetryAfter };
                if (attempt >= Retry.MaxAttempts) throw RegistryErrors.Failed(request, status, codes, attempt);
                Log.Write(BuildLogLevel.Info, $"{request.Operation} on {request.Registry} answered {(int)status}; retrying.");
                await Retry.WaitAsync(attempt + 1, response.Headers.RetryAfter, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(RegistryRequest request, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.RequestTimeout);
        using var message = new HttpRequestMessage(request.Method, request.Uri);
        message.Headers.Authorization = authorization;
        foreach (string accept in request.Accept) message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        foreach (var (name, value) in request.Headers) message.Headers.TryAddWithoutValidation(name, value);
        if (request.Content is not null) message.Content = await request.Content(cancellationToken).ConfigureAwait(false);
        var response = await _connection.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        if (request.Method == HttpMethod.Head || request.StreamsBody && (int)response.StatusCode < 300) return response;
        try
        {
            // Every other body (manifests, configs, tokens, tag lists, errors) is read now, inside this attempt's
            // timeouts, so a cut or a stall is retried here and no caller reads a half body.
            await ResponseBody.BufferAsync(response, request, Options.StallTimeout, timeout.Token).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_ownsConnection) _connection.Dispose();
    }
}
