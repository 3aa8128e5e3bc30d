using System.Net;
using System.Text;

namespace MultiArch.Build.Tests.Registry;

internal enum FakeAuthMode
{
    None,
    Basic,
    Bearer,
}

/// <summary>How the fake registry guards itself.</summary>
internal sealed record FakeAuth(FakeAuthMode Mode, string? User = null, string? Password = null, bool AllowAnonymous = false)
{
    public static readonly FakeAuth None = new(FakeAuthMode.None);

    /// <summary>Requests a token serves before the registry stops accepting it (an expiry the client only sees as a 401).</summary>
    public int? TokenUses { get; init; }

    public int ExpiresIn { get; init; } = 300;

    /// <summary>Answer <c>access_token</c> instead of <c>token</c>.</summary>
    public bool UseAccessTokenField { get; init; }

    public string? IdentityToken { get; init; }

    public string RealmScheme { get; init; } = "https";

    /// <summary>The host the challenge names as token service (the fake answers /token on any host).</summary>
    public string RealmHost { get; init; } = FakeRegistry.Host;
}

/// <summary>The fake registry's Basic check and Bearer token service, with per-scope tokens.</summary>
internal sealed class FakeTokenService
{
    private readonly FakeAuth _auth;
    private readonly object _gate = new();
    private readonly Dictionary<string, (HashSet<string> Scopes, int UsesLeft)> _tokens = [];
    private int _issued;

    public FakeTokenService(FakeAuth auth)
    {
        _auth = auth;
    }

    public int Issued { get { lock (_gate) return _issued; } }

    public List<string> IssuedTokens { get; } = [];

    public bool Authorizes(HttpRequestMessage request, out string challenge)
    {
        challenge = "";
        if (_auth.Mode == FakeAuthMode.None) return true;
        var header = request.Headers.Authorization;
        if (_auth.Mode == FakeAuthMode.Basic)
        {
            challenge = "Basic realm=\"fake registry\"";
            return header?.Scheme == "Basic" && header.Parameter == Basic(_auth.User!, _auth.Password!);
        }
        string needed = NeededScope(request);
        challenge = $"Bearer realm=\"{_auth.RealmScheme}://{_auth.RealmHost}/token\",service=\"fake-service\",scope=\"{needed}\"";
        if (header?.Scheme != "Bearer" || header.Parameter is null) return false;
        lock (_gate)
        {
            if (!_tokens.TryGetValue(header.Parameter, out var entry)) return false;
            if (entry.UsesLeft == 0) return false;
            if (!Covers(entry.Scopes, needed)) return false;
            if (entry.UsesLeft > 0) _tokens[header.Parameter] = (entry.Scopes, entry.UsesLeft - 1);
            return true;
        }
    }

    public HttpResponseMessage Issue(HttpRequestMessage request)
    {
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
        var scopes = query.GetValues("scope")?.ToList() ?? [];
        bool authorized;
        if (request.Method == HttpMethod.Post)
        {
            var form = System.Web.HttpUtility.ParseQueryString(request.Content!.ReadAsStringAsync().Result);
            authorized = form["grant_type"] == "refresh_token" && form["refresh_token"] == _auth.IdentityToken;
            scopes = (form["scope"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        }
        else
        {
            var header = request.Headers.Authorization;
            authorized = header is null
                ? _auth.AllowAnonymous
                : header.Scheme == "Basic" && header.Parameter == Basic(_auth.User!, _auth.Password!);
        }
        if (!authorized) return FakeRegistry.Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        string token;
        lock (_gate)
        {
            token = $"secret-token-{++_issued}-{Guid.NewGuid():N}";
            _tokens[token] = ([.. scopes], _auth.TokenUses ?? -1);
            IssuedTokens.Add(token);
        }
        string field = _auth.UseAccessTokenField ? "access_token" : "token";
        return FakeRegistry.Json(HttpStatusCode.OK, $"{{\"{field}\":\"{token}\",\"expires_in\":{_auth.ExpiresIn}}}");
    }

    private static bool Covers(HashSet<string> scopes, string needed)
    {
        var parts = needed.Split(':');
        return scopes.Any(s =>
        {
            var p = s.Split(':');
            return p.Length == 3 && p[1] == parts[1] && parts[2].Split(',').All(a => p[2].Split(',').Contains(a));
        });
    }

    private static string NeededScope(HttpRequestMessage request)
    {
        string path = request.RequestUri!.AbsolutePath;
        int end = new[] { path.IndexOf("/blobs/", StringComparison.Ordinal), path.IndexOf("/manifests/", StringComparison.Ordinal), path.IndexOf("/tags/", StringComparison.Ordinal) }.Where(i => i > 0).DefaultIfEmpty(path.Length).Min();
        string repo = path.Length > 4 ? path[4..end] : "";
        bool write = request.Method != HttpMethod.Get && request.Method != HttpMethod.Head;
        return $"repository:{repo}:{(write ? "pull,push" : "pull")}";
    }

    public static string Basic(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
}
