using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Registry.Transport;

namespace MultiArch.Build.Registry.Auth;

/// <summary>
/// Credentials for one registry: learns the scheme from the first 401 challenge, then sends Basic
/// credentials or Bearer tokens (fetched with the credentials, or anonymously when there are none),
/// one token per scope, refreshed when it expires or the registry stops accepting it.
/// </summary>
internal sealed class RegistryAuthenticator
{
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);
    private readonly string _registry;
    private readonly CredentialPurpose _purpose;
    private readonly RegistryHttp _http;
    private readonly CredentialStore _store;
    private readonly TokenCache _tokens;
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private readonly Lazy<Task<RegistryCredential?>> _credential;
    private volatile AuthChallenge? _challenge;

    public RegistryAuthenticator(string registry, CredentialPurpose purpose, RegistryHttp http, CredentialStore store, TokenCache tokens)
    {
        _registry = registry;
        _purpose = purpose;
        _http = http;
        _store = store;
        _tokens = tokens;
        _credential = new(() => _store.FindAsync(_registry, _purpose, CancellationToken.None));
    }

    /// <summary>The Authorization header for a request in <paramref name="scope"/>, or null before the registry asked for any.</summary>
    public async Task<AuthenticationHeaderValue?> HeaderForAsync(AuthScope scope, CancellationToken cancellationToken)
    {
        var challenge = _challenge;
        if (challenge is null) return null;
        if (challenge.IsBasic)
        {
            var credential = await _credential.Value.ConfigureAwait(false);
            return credential is { HasPassword: true } ? new AuthenticationHeaderValue("Basic", credential.BasicParameter()) : null;
        }
        string token = await TokenForAsync(challenge, scope, cancellationToken).ConfigureAwait(false);
        return new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Reads a 401's challenge so the next attempt carries what it asks for; throws when nothing more can be tried.</summary>
    public async Task RespondToChallengeAsync(HttpResponseMessage unauthorized, RegistryRequest request, AuthenticationHeaderValue? sent, CancellationToken cancellationToken)
    {
        var challenge = AuthChallenge.From(unauthorized.Headers)
            ?? throw Rejected(request, await RegistryErrors.ReadCodesAsync(unauthorized, cancellationToken).ConfigureAwait(false));
        if (challenge.IsBasic)
        {
            var credential = await _credential.Value.ConfigureAwait(false);
            if (credential is not { HasPassword: true }) throw Missing(request);
            if (sent?.Scheme == "Basic") throw Rejected(request, "");
            _challenge = challenge;
            return;
        }
        _challenge = challenge;
        // A token that was accepted as valid but grants too little: the account lacks the right (pull-only
        // trying to push), or there was no account at all; asking again gives the same token.
        if (sent?.Scheme == "Bearer" && challenge.IsInsufficientScope)
            throw await _credential.Value.ConfigureAwait(false) is null
                ? Missing(request)
                : RegistryErrors.Denied(request, await RegistryErrors.ReadCodesAsync(unauthorized, cancellationToken).ConfigureAwait(false));
        if (sent?.Scheme == "Bearer" && sent.Parameter is { } stale)
        {
            _http.Log.Write(BuildLogLevel.Debug, $"Registry {_registry} no longer accepts the token for {request.Scope}; getting a new one.");
            _tokens.Invalidate(_registry, request.Scope, stale);
        }
        await TokenForAsync(challenge, request.Scope, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> TokenForAsync(AuthChallenge challenge, AuthScope scope, CancellationToken cancellationToken)
    {
        if (_tokens.Get(_registry, scope) is { } cached) return cached;
        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tokens.Get(_registry, scope) is { } fetched) return fetched;
            var (token, lifetime) = await FetchTokenAsync(challenge, scope.With(challenge.Scope), cancellationToken).ConfigureAwait(false);
            _tokens.Put(_registry, scope, token, lifetime);
            return token;
        }
        finally
        {
            _fetching.Release();
        }
    }

    private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(AuthChallenge challenge, AuthScope scope, CancellationToken cancellationToken)
    {
        var credential = await _credential.Value.ConfigureAwait(false);
        var realm = new Uri(challenge.Realm!);
        var registry = _http.Endpoint(_registry).BaseUri;
        // One check for both kinds of token request, since a refresh grant carries an identity token as much as a
        // token request carries a password.
        if (credential is not null && !CredentialPolicy.MayReceiveCredentials(realm, registry))
        {
            // An HTTPS registry that names a plain-HTTP token service is misconfigured; an anonymous token would only hide that.
            if (realm.Scheme != Uri.UriSchemeHttps && registry.Scheme == Uri.UriSchemeHttps)
                throw new MabException(ErrorCode.RegistryAuthenticationFailed, $"Registry {_registry} sends credentials to a token service over plain HTTP ({realm.GetLeftPart(UriPartial.Path)}); they are not sent. Fix the registry's auth realm to use HTTPS.");
            _http.Log.Write(BuildLogLevel.Info, $"Registry {_registry} names the token service {realm.GetLeftPart(UriPartial.Authority)}, which is neither the registry's host nor, over HTTPS, a host of its site; the credentials for {_registry} are not sent there, and a token is asked for anonymously.");
            credential = null;
        }
        var request = credential?.IdentityToken is not null ? RefreshTokenRequest(challenge, scope, credential) : TokenRequest(challenge, scope, credential);
        _http.Log.Write(BuildLogLevel.Debug, $"Getting a token for {scope} from {challenge.Realm} ({(credential is null ? "anonymous" : credential.ToString())}).");
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            string codes = await RegistryErrors.ReadCodesAsync(response, cancellationToken).ConfigureAwait(false);
            throw credential is null ? Missing(request) : Rejected(request, codes);
        }
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return ParseToken(body, request);
    }

    private RegistryRequest TokenRequest(AuthChallenge challenge, AuthScope scope, RegistryCredential? credential)
    {
        var query = new List<string>();
        if (challenge.Service is { } service) query.Add("service=" + Uri.EscapeDataString(service));
        query.AddRange(scope.Scopes.Select(s => "scope=" + Uri.EscapeDataString(s)));
        if (credential?.UserName is { } user) query.Add("account=" + Uri.EscapeDataString(user));
        var uri = new UriBuilder(challenge.Realm!) { Query = string.Join('&', query) }.Uri;
        var headers = credential is { HasPassword: true } ? new[] { ("Authorization", "Basic " + credential.BasicParameter()) } : [];
        return new RegistryRequest(_registry, HttpMethod.Get, uri, scope, $"token request for {scope}")
        {
            Anonymous = true,
            Headers = headers,
            Allowed = [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden],
        };
    }

    private RegistryRequest RefreshTokenRequest(AuthChallenge challenge, AuthScope scope, RegistryCredential credential)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = credential.IdentityToken!,
            ["client_id"] = "MultiArch.Build",
            ["scope"] = string.Join(' ', scope.Scopes),
        };
        if (challenge.Service is { } service) form["service"] = service;
        return new RegistryRequest(_registry, HttpMethod.Post, new Uri(challenge.Realm!), scope, $"token request for {scope}")
        {
            Anonymous = true,
            Content = _ => Task.FromResult<HttpContent>(new FormUrlEncodedContent(form)),
            Allowed = [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden],
        };
    }

    private static (string Token, TimeSpan Lifetime) ParseToken(byte[] body, RegistryRequest request)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            string? token = Text(root, "token") ?? Text(root, "access_token");
            if (token is null) throw new JsonException("no token");
            var lifetime = root.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out int seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : DefaultTokenLifetime;
            return (token, lifetime);
        }
        catch (JsonException)
        {
            throw new MabException(ErrorCode.RegistryTokenInvalid, $"The token service of registry {request.Registry} did not answer a JSON token for {request.Scope}. Check the registry's auth setup.");
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    /// <summary>The error for a request the registry still refuses after fresh credentials: wrong ones, or none where some are needed.</summary>
    public async Task<MabException> RefusedAsync(RegistryRequest request, string codes) =>
        await _credential.Value.ConfigureAwait(false) is null ? Missing(request) : Rejected(request, codes);

    public static MabException Rejected(RegistryRequest request, string codes) =>
        new(ErrorCode.RegistryAuthenticationFailed,
            $"Registry {request.Registry} refused the credentials for {request.Operation}{(codes.Length == 0 ? "" : $" (registry errors: {codes})")}. Check the user name and password: log in again with 'docker login {request.Registry}' or 'podman login', or set {CredentialStore.PreferredUserNameVariable} and {CredentialStore.PreferredPasswordVariable} (for a base image's registry: {CredentialStore.BaseUserNameVariable} and {CredentialStore.BasePasswordVariable}).");

    private static MabException Missing(RegistryRequest request) =>
        new(ErrorCode.RegistryAuthenticationFailed,
            $"Registry {request.Registry} needs credentials for {request.Operation} and none were found. Log in with 'docker login {request.Registry}' or 'podman login', or set {CredentialStore.PreferredUserNameVariable} and {CredentialStore.PreferredPasswordVariable} (for a base image's registry: {CredentialStore.BaseUserNameVariable} and {CredentialStore.BasePasswordVariable}).");
}
