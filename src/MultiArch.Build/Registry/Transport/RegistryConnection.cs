using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using MultiArch.Build.Registry.Auth;

namespace MultiArch.Build.Registry.Transport;

/// <summary>
/// What the registry clients of one build share: one HTTP connection pool, the endpoints resolved once, and
/// the credential store. Tokens stay with each client, since a pull client and a push client may hold
/// different accounts' tokens for the same registry.
/// </summary>
internal sealed class RegistryConnection : IDisposable
{
    private readonly ConcurrentDictionary<string, RegistryEndpoint> _endpoints = new(StringComparer.OrdinalIgnoreCase);
    private readonly RegistryOptions _options;

    public RegistryConnection(RegistryOptions options)
    {
        _options = options;
        Credentials = new CredentialStore(options.Environment, options.Log, options.TargetRegistries);
        var handler = options.Handler ?? new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            // Harbor sets session and CSRF cookies and refuses a write that sends them back; the API needs none.
            UseCookies = false,
        };
        Client = new HttpClient(handler, disposeHandler: options.Handler is null) { Timeout = Timeout.InfiniteTimeSpan };
        Client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("MultiArch.Build", RegistryHttp.Version));
    }

    public HttpClient Client { get; }

    public CredentialStore Credentials { get; }

    public RegistryEndpoint Endpoint(string registry) => _endpoints.GetOrAdd(registry, r => RegistryEndpoint.For(r, _options));

    public void Dispose() => Client.Dispose();
}
