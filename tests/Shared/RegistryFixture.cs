namespace MultiArch.Build.Testing;

/// <summary>
/// A real CNCF distribution registry (a <see cref="RegistryProcess"/>) on a free 127.0.0.1 port with its own temporary
/// storage, optionally guarded by htpasswd Basic auth. Use it as an xunit class fixture, or start one with
/// <see cref="StartAsync"/> when a test needs its own. With <see cref="RegistryProcess"/> beneath it, the one way every
/// test project starts a registry (build/start-registry.sh is for people and scripts).
/// </summary>
public class RegistryFixture : IAsyncLifetime, IAsyncDisposable
{
    private readonly RegistryProcess _process = new();

    public RegistryFixture()
        : this(null, null)
    {
    }

    protected RegistryFixture(string? user, string? password)
    {
        User = user;
        Password = password;
    }

    /// <summary>Starts a registry now (for a test that needs one of its own); dispose it when done.</summary>
    public static RegistryFixture Start(string? user = null, string? password = null) => StartAsync(user, password).GetAwaiter().GetResult();

    public static async Task<RegistryFixture> StartAsync(string? user = null, string? password = null)
    {
        var fixture = new RegistryFixture(user, password);
        await fixture.InitializeAsync();
        return fixture;
    }

    /// <summary><c>127.0.0.1:PORT</c>, the registry part of image references.</summary>
    public string Host => _process.Host;

    public int Port => _process.Port;

    /// <summary>The htpasswd user, or null for an open registry.</summary>
    public string? User { get; }

    public string? Password { get; }

    public bool RequiresAuth => User is not null;

    /// <summary><c>--creds user:password</c> for skopeo, or nothing for an open registry.</summary>
    public IReadOnlyList<string> SkopeoCredentials() => RequiresAuth ? ["--creds", $"{User}:{Password}"] : [];

    public async Task InitializeAsync()
    {
        string auth = "";
        if (RequiresAuth)
        {
            string htpasswd = _process.PathOf("htpasswd");
            string line = (await ProcessRunner.RunCheckedAsync("htpasswd", "-Bbn", User!, Password!)).Output;
            await File.WriteAllTextAsync(htpasswd, line.Trim() + "\n");
            auth = $"auth:\n  htpasswd:\n    realm: mab-test\n    path: {htpasswd}\n";
        }
        await _process.StartAsync(sections: auth, logLevel: "warn");
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync() => await _process.DisposeAsync();
}

/// <summary>A registry that demands htpasswd Basic auth (user <c>mab-user</c>).</summary>
public sealed class AuthenticatedRegistryFixture : RegistryFixture
{
    public AuthenticatedRegistryFixture()
        : base("mab-user", "mab-Pa55-" + Guid.NewGuid().ToString("N")[..8])
    {
    }
}
