using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MultiArch.Build.IntegrationTests.Fixtures;

/// <summary>What one account may do in the repositories a pattern matches (<c>app/*</c> matches every repository under <c>app/</c>).</summary>
public sealed record RepositoryRights(string Pattern, params string[] Actions)
{
    public bool Matches(string repository) =>
        Pattern.EndsWith('*') ? repository.StartsWith(Pattern[..^1], StringComparison.Ordinal) : repository == Pattern;
}

/// <summary>One token the server handed out: who asked (null for anonymous), the scopes asked for, and what the token allows.</summary>
public sealed record IssuedToken(string? Account, string Grant, IReadOnlyList<string> Requested, IReadOnlyList<string> Granted, DateTimeOffset IssuedAt);

/// <summary>
/// A token service for a registry configured with <c>auth: token</c>, speaking the Docker token protocol
/// on a free 127.0.0.1 port: <c>GET /token?service=…&amp;scope=…&amp;account=…</c> with Basic credentials
/// or none, and <c>POST /token</c> with an OAuth2 <c>refresh_token</c> grant (Docker's identity tokens).
/// Each token allows the intersection of what was asked and what the account may do; an action the
/// account lacks is left out, never refused, as the protocol says, so the registry is the one that
/// refuses it. Wrong credentials get a 401. Every token issued is recorded for the tests to inspect.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    /// <summary>
    /// Distribution 2.8 accepts a token up to 60 s past its <c>exp</c> and before its <c>nbf</c>
    /// (registry/auth/token/token.go, <c>Leeway</c>). The server takes it off <c>exp</c> so the registry
    /// stops accepting a token exactly when <see cref="AcceptedFor"/> ends.
    /// </summary>
    public static readonly TimeSpan RegistryLeeway = TimeSpan.FromSeconds(60);

    private readonly HttpListener _listener = new();
    private readonly TokenSigningKey _key = new();
    private readonly ConcurrentDictionary<string, (string Password, RepositoryRights[] Rights)> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<IssuedToken> _issued = new();
    private readonly List<RepositoryRights> _anonymous = [];
    private readonly Task _serving;
    private int _refusals;

    public TokenServer(string service, string issuer, TokenKeyHeader keyHeader = TokenKeyHeader.KeyId)
    {
        Service = service;
        Issuer = issuer;
        KeyHeader = keyHeader;
        Port = Listen();
        _serving = ServeAsync();
    }

    /// <summary>The registry's name in tokens (<c>aud</c>) and in its challenges (<c>service</c>).</summary>
    public string Service { get; }

    /// <summary>The token issuer (<c>iss</c>), which the registry must trust.</summary>
    public string Issuer { get; }

    public TokenKeyHeader KeyHeader { get; }

    public int Port { get; }

    /// <summary>The registry's <c>realm</c>: where clients get tokens.</summary>
    public string Realm => $"http://127.0.0.1:{Port}/token";

    /// <summary>The registry's <c>rootcertbundle</c>: the signing key's self-signed certificate, PEM.</summary>
    public string RootCertificatePem => _key.CertificatePem;

    /// <summary>What a token's <c>expires_in</c> tells the client.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the registry accepts a token; shorter than <see cref="TokenLifetime"/> when a test wants the registry to stop accepting a token the client still thinks valid.</summary>
    public TimeSpan AcceptedFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Every token issued so far, oldest first.</summary>
    public IReadOnlyList<IssuedToken> Issued => [.. _issued];

    /// <summary>How many token requests were refused for wrong credentials.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    public void AddAccount(string user, string password, params RepositoryRights[] rights) => _accounts[user] = (password, rights);

    /// <summary>An identity (refresh) token that stands for <paramref name="user"/>, as <c>docker login</c> stores it for some registries.</summary>
    public void AddRefreshToken(string refreshToken, string user) => _refreshTokens[refreshToken] = user;

    /// <summary>Anyone, without credentials, may pull the repositories <paramref name="pattern"/> matches.</summary>
    public void AllowAnonymousPull(string pattern)
    {
        lock (_anonymous) _anonymous.Add(new RepositoryRights(pattern, "pull"));
    }

    private int Listen()
    {
        // HttpListener needs the port up front; a port just freed by the OS is taken again on a clash.
        for (int attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                _listener.Start();
                return port;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var (status, body) = context.Request.Url?.AbsolutePath == "/token"
                ? await TokenAsync(context.Request)
                : (404, Error("not_found", "only /token is served"));
            response.StatusCode = status;
            response.ContentType = "application/json";
            if (status == 401) response.AddHeader("WWW-Authenticate", "Basic realm=\"mab-test-token-server\"");
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away; nothing to answer.
        }
        finally
        {
            try { response.Close(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException) { }
        }
    }

    private async Task<(int Status, string Body)> TokenAsync(HttpListenerRequest request)
    {
        string? account;
        string grant;
        IEnumerable<string> scopes;
        string? service;
        if (request.HttpMethod == "POST")
        {
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var form = System.Web.HttpUtility.ParseQueryString(await reader.ReadToEndAsync());
            grant = form["grant_type"] ?? "";
            service = form["service"];
            scopes = (form["scope"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (grant != "refresh_token" || form["refresh_token"] is not { } refresh || !_refreshTokens.TryGetValue(refresh, out account))
                return Refuse("invalid_grant", "unknown refresh token");
        }
        else if (request.HttpMethod == "GET")
        {
            grant = "basic";
            service = request.QueryString["service"];
            scopes = (request.QueryString.GetValues("scope") ?? []).SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (!TryAuthenticate(request.Headers["Authorization"], out account)) return Refuse("unauthorized", "incorrect username or password");
            if (account is null) grant = "anonymous";
        }
        else
        {
            return (405, Error("unsupported", "GET or POST only"));
        }
        if (service != Service) return (400, Error("invalid_request", $"unknown service '{service}'"));

        var requested = scopes.ToList();
        var access = Grant(account, requested);
        var now = DateTimeOffset.UtcNow;
        string token = _key.Sign(Claims(account, access, now), KeyHeader);
        _issued.Enqueue(new IssuedToken(account, grant, requested, Describe(access), now));
        var answer = new JsonObject
        {
            ["token"] = token,
            ["access_token"] = token,
            ["expires_in"] = (int)TokenLifetime.TotalSeconds,
            ["issued_at"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        };
        return (200, answer.ToJsonString());
    }

    /// <summary>True with the account for good Basic credentials, true with null for none; false for wrong ones.</summary>
    private bool TryAuthenticate(string? authorization, out string? account)
    {
        account = null;
        if (authorization is null) return true;
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        string pair;
        try { pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim())); }
        catch (FormatException) { return false; }
        int colon = pair.IndexOf(':');
        if (colon < 0) return false;
        string user = pair[..colon];
        if (!_accounts.TryGetValue(user, out var entry) || entry.Password != pair[(colon + 1)..]) return false;
        account = user;
        return true;
    }

    /// <summary>Per repository asked about, the actions asked for that the account (or anyone, for pulls) may do.</summary>
    private Dictionary<string, SortedSet<string>> Grant(string? account, IReadOnlyList<string> requested)
    {
        var rights = new List<RepositoryRights>();
        lock (_anonymous) rights.AddRange(_anonymous);
        if (account is not null && _accounts.TryGetValue(account, out var entry)) rights.AddRange(entry.Rights);
        var access = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (string scope in requested)
        {
            // repository:<name>:<actions>; a name never holds ':', the actions are comma-separated.
            string[] parts = scope.Split(':');
            if (parts.Length != 3 || parts[0] != "repository") continue;
            string repository = parts[1];
            var allowed = rights.Where(r => r.Matches(repository)).SelectMany(r => r.Actions).ToHashSet(StringComparer.Ordinal);
            if (!access.TryGetValue(repository, out var actions)) access[repository] = actions = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string action in parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (allowed.Contains(action)) actions.Add(action);
            }
        }
        return access;
    }

    private JsonObject Claims(string? account, Dictionary<string, SortedSet<string>> access, DateTimeOffset now)
    {
        var list = new JsonArray();
        foreach (var (repository, actions) in access)
        {
            list.Add(new JsonObject
            {
                ["type"] = "repository",
                ["name"] = repository,
                ["actions"] = new JsonArray([.. actions.Select(a => (JsonNode)JsonValue.Create(a))]),
            });
        }
        long issued = now.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = account ?? "",
            // Distribution 2.8 reads aud as one string (ClaimSet.Audience); an array does not parse.
            ["aud"] = Service,
            ["exp"] = issued + (long)(AcceptedFor - RegistryLeeway).TotalSeconds,
            ["nbf"] = issued,
            ["iat"] = issued,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = list,
        };
    }

    private static List<string> Describe(Dictionary<string, SortedSet<string>> access) =>
        [.. access.Where(a => a.Value.Count > 0).Select(a => $"repository:{a.Key}:{string.Join(',', a.Value)}")];

    private (int, string) Refuse(string code, string message)
    {
        Interlocked.Increment(ref _refusals);
        return (401, Error(code, message));
    }

    private static string Error(string code, string message) =>
        JsonSerializer.Serialize(new { errors = new[] { new { code, message } } });

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        try { await _serving; }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException) { }
        _key.Dispose();
    }
}
