namespace MultiArch.Build.Registry.Auth;

/// <summary>
/// The token scopes one request needs, e.g. <c>repository:app:pull,push</c> and, for a
/// cross-repository mount, <c>repository:base:pull</c>. The first scope is the main one.
/// </summary>
public sealed class AuthScope : IEquatable<AuthScope>
{
    private AuthScope(IReadOnlyList<string> scopes)
    {
        Scopes = scopes;
        Key = string.Join(' ', scopes);
    }

    public IReadOnlyList<string> Scopes { get; }

    /// <summary>The scopes joined, for the token cache.</summary>
    public string Key { get; }

    public static AuthScope Pull(string repository) => new([$"repository:{repository}:pull"]);

    public static AuthScope Push(string repository) => new([$"repository:{repository}:pull,push"]);

    /// <summary>Push to <paramref name="repository"/> and read from <paramref name="mountFrom"/>, push scope first.</summary>
    public static AuthScope PushWithMount(string repository, string mountFrom) =>
        new([$"repository:{repository}:pull,push", $"repository:{mountFrom}:pull"]);

    /// <summary>Adds a scope the registry asked for in its challenge, when it is not already covered.</summary>
    public AuthScope With(string? scope) =>
        scope is null || Scopes.Contains(scope) ? this : new AuthScope([.. Scopes, scope]);

    public bool Equals(AuthScope? other) => other is not null && other.Key == Key;

    public override bool Equals(object? obj) => Equals(obj as AuthScope);

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Key;
}
