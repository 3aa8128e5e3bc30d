using System.Collections.Concurrent;

namespace MultiArch.Build.Registry.Auth;

/// <summary>
/// Bearer tokens by registry and scope, until shortly before they expire. A token for
/// <c>app:pull,push</c> is not reused for <c>base:pull</c>: each scope set has its own entry.
/// </summary>
public sealed class TokenCache
{
    // Refresh a little early so a token does not expire between being read and being used.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<(string Registry, string Scope), (string Token, DateTimeOffset Expires)> _tokens = new();
    private readonly TimeProvider _time;

    public TokenCache(TimeProvider time)
    {
        _time = time;
    }

    public string? Get(string registry, AuthScope scope)
    {
        if (!_tokens.TryGetValue((registry, scope.Key), out var entry)) return null;
        if (_time.GetUtcNow() < entry.Expires - Margin) return entry.Token;
        _tokens.TryRemove((registry, scope.Key), out _);
        return null;
    }

    public void Put(string registry, AuthScope scope, string token, TimeSpan lifetime) =>
        _tokens[(registry, scope.Key)] = (token, _time.GetUtcNow() + lifetime);

    /// <summary>Drops a token the registry no longer accepts, unless another request already replaced it.</summary>
    public void Invalidate(string registry, AuthScope scope, string token)
    {
        var key = (registry, scope.Key);
        if (_tokens.TryGetValue(key, out var entry) && entry.Token == token) _tokens.TryRemove(key, out _);
    }
}
