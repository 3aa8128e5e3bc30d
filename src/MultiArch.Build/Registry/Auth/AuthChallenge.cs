using System.Net.Http.Headers;

namespace MultiArch.Build.Registry.Auth;

/// <summary>
/// A registry's <c>WWW-Authenticate</c> challenge: the scheme (Basic or Bearer) and, for Bearer,
/// where to get a token (realm), for which service, and the scope the registry wants; and the
/// error a registry names when it refuses a token (RFC 6750: <c>invalid_token</c>, <c>insufficient_scope</c>).
/// </summary>
public sealed record AuthChallenge(string Scheme, string? Realm, string? Service, string? Scope, string? Error = null)
{
    /// <summary>The token was valid but does not grant what the request needs: a fresh one will not either.</summary>
    public bool IsInsufficientScope => string.Equals(Error, "insufficient_scope", StringComparison.Ordinal);

    public bool IsBearer => string.Equals(Scheme, "Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => string.Equals(Scheme, "Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first Bearer or Basic challenge of a 401 response, or null when it has none.</summary>
    public static AuthChallenge? From(HttpResponseHeaders headers)
    {
        AuthChallenge? basic = null;
        foreach (var value in headers.WwwAuthenticate)
        {
            var challenge = Parse(value.Scheme, value.Parameter);
            if (challenge.IsBearer && challenge.Realm is not null) return challenge;
            if (challenge.IsBasic) basic ??= challenge;
        }
        return basic;
    }

    /// <summary>Parses the parameters <c>realm="...",service="...",scope="..."</c>; quoted values may hold commas.</summary>
    public static AuthChallenge Parse(string scheme, string? parameters)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string text = parameters ?? "";
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i]))) i++;
            int eq = text.IndexOf('=', i);
            if (eq < 0) break;
            string key = text[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var builder = new System.Text.StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    builder.Append(text[i++]);
                }
                i++;
                value = builder.ToString();
            }
            else
            {
                int end = text.IndexOf(',', i);
                if (end < 0) end = text.Length;
                value = text[i..end].Trim();
                i = end;
            }
            values[key] = value;
        }
        return new AuthChallenge(scheme, Get(values, "realm"), Get(values, "service"), Get(values, "scope"), Get(values, "error"));
    }

    private static string? Get(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
}
