namespace MultiArch.Build.IntegrationTests.Fixtures;

/// <summary>
/// A real docker-registry with <c>auth: token</c> and the <see cref="TokenServer"/> it trusts, both on
/// 127.0.0.1. The registry is told the realm, the service, the issuer and the rootcertbundle (the token
/// server's self-signed certificate), the four options distribution 2.8 requires
/// (registry/auth/token/accesscontroller.go, <c>checkOptions</c>). Accounts:
/// <list type="bullet">
/// <item><c>pusher</c>: pull and push under <c>app/</c>, <c>base/</c> and <c>public/</c>;</item>
/// <item><c>reader</c>: pull under <c>app/</c> only;</item>
/// <item><c>apponly</c>: pull and push under <c>app/</c>, nothing under <c>base/</c>;</item>
/// <item><c>basereader</c>: pull under <c>base/</c> only;</item>
/// <item>anyone: pull under <c>public/</c>.</item>
/// </list>
/// Use it as a class fixture, or start one with <see cref="StartAsync"/> for a test that changes token lifetimes.
/// </summary>
public sealed class TokenRegistry : IAsyncLifetime, IAsyncDisposable
{
    public const string ServiceName = "mab-test-registry";
    public const string IssuerName = "mab-test-token-server";

    private readonly RegistryProcess _registry = new();

    public TokenRegistry()
        : this(TokenKeyHeader.KeyId)
    {
    }

    private TokenRegistry(TokenKeyHeader keyHeader)
    {
        Tokens = new TokenServer(ServiceName, IssuerName, keyHeader);
        Tokens.AddAccount("pusher", PusherPassword, new("app/*", "pull", "push"), new("base/*", "pull", "push"), new("public/*", "pull", "push"));
        Tokens.AddAccount("reader", ReaderPassword, new RepositoryRights("app/*", "pull"));
        Tokens.AddAccount("apponly", AppOnlyPassword, new RepositoryRights("app/*", "pull", "push"));
        Tokens.AddAccount("basereader", BaseReaderPassword, new RepositoryRights("base/*", "pull"));
        Tokens.AllowAnonymousPull("public/*");
    }

    public static async Task<TokenRegistry> StartAsync(TokenKeyHeader keyHeader = TokenKeyHeader.KeyId)
    {
        var registry = new TokenRegistry(keyHeader);
        await registry.InitializeAsync();
        return registry;
    }

    public TokenServer Tokens { get; }

    public string PusherPassword { get; } = "push-" + Guid.NewGuid().ToString("N")[..10];
    public string ReaderPassword { get; } = "read-" + Guid.NewGuid().ToString("N")[..10];
    public string AppOnlyPassword { get; } = "app-" + Guid.NewGuid().ToString("N")[..10];
    public string BaseReaderPassword { get; } = "base-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary><c>127.0.0.1:PORT</c>, the registry part of image references.</summary>
    public string Host => _registry.Host;

    /// <summary>What the registry logged (at info level it says why it refused a token).</summary>
    public string Log => _registry.Log;

    public async Task InitializeAsync()
    {
        string bundle = _registry.PathOf("token-root.pem");
        await File.WriteAllTextAsync(bundle, Tokens.RootCertificatePem);
        await _registry.StartAsync(sections: $"""
            auth:
              token:
                realm: {Tokens.Realm}
                service: {ServiceName}
                issuer: {IssuerName}
                rootcertbundle: {bundle}

            """);
    }

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await _registry.DisposeAsync();
        await Tokens.DisposeAsync();
    }
}
