using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Registry;

namespace MultiArch.Build.IntegrationTests.Registry;

/// <summary>
/// Failures no retry can fix end at the first try with a message that says what to do (an untrusted certificate, a
/// server without TLS, a host name that does not resolve); a refused connection, which a restarting registry gives,
/// is still retried. Real sockets, real TLS, the real resolver.
/// </summary>
public sealed class PermanentFailureIntegrationTests : IClassFixture<RegistryFixture>
{
    private readonly RegistryFixture _registry;
    private readonly List<TimeSpan> _waits = [];

    public PermanentFailureIntegrationTests(RegistryFixture registry)
    {
        _registry = registry;
    }

    private RegistryOptions Options(HttpMessageHandler? handler = null, int maxAttempts = 10) => new()
    {
        Handler = handler,
        MaxAttempts = maxAttempts,
        Environment = RegistryEnvironment.From(new Dictionary<string, string>()),
        Delay = (wait, _) => { lock (_waits) _waits.Add(wait); return Task.CompletedTask; },
    };

    /// <summary>A handler that sends every connection to a local port, whatever host the URL names (so an HTTPS registry name can reach a test server).</summary>
    private static SocketsHttpHandler To(int port) => new()
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };

    [Fact]
    public async Task AnUntrustedCertificateFailsAtOnceAndSaysHowToTrustTheCA()
    {
        using var certificate = SelfSigned("registry.test");
        using var server = new TlsServer(certificate);
        using var client = new RegistryClient(Options(To(server.Port)));

        var error = await Assert.ThrowsAsync<MabException>(() => client.TryGetManifestAsync(ImageReference.Parse("registry.test/app:1.0"), CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryTlsFailed, error.Code);
        Assert.Contains("registry.test", error.Message);
        Assert.Contains("SSL_CERT_FILE", error.Message);
        Assert.Contains("update-ca-certificates", error.Message);
        Assert.Contains("ContainerInsecureRegistries", error.Message);
        Assert.Empty(_waits);
        Assert.Equal(1, server.Handshakes);
    }

    [Fact]
    public async Task ARegistryWithoutTlsReachedOverHttpsFailsAtOnceAndSaysToListItAsInsecure()
    {
        using var client = new RegistryClient(Options(To(_registry.Port)));

        var error = await Assert.ThrowsAsync<MabException>(() => client.TryGetManifestAsync(ImageReference.Parse("registry.test/app:1.0"), CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryTlsFailed, error.Code);
        Assert.Contains("ContainerInsecureRegistries", error.Message);
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task AHostNameThatDoesNotResolveFailsAtOnce()
    {
        using var client = new RegistryClient(Options());

        var error = await Assert.ThrowsAsync<MabException>(() => client.TryGetManifestAsync(ImageReference.Parse("nosuchhost.invalid/app:1.0"), CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryHostNotFound, error.Code);
        Assert.Contains("nosuchhost.invalid", error.Message);
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task ARefusedConnectionIsRetriedAsARestartingRegistryNeeds()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int closed = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new RegistryClient(Options(maxAttempts: 3));

        var error = await Assert.ThrowsAsync<MabException>(() => client.TryGetManifestAsync(ImageReference.Parse($"127.0.0.1:{closed}/app:1.0"), CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryUnreachable, error.Code);
        Assert.Contains("after 3 tries", error.Message);
        Assert.Equal(2, _waits.Count);
    }

    [Fact]
    public async Task CookiesAreNeverSentBack()
    {
        using var server = new CookieServer();
        using var client = new RegistryClient(Options());
        var repository = ImageReference.Parse($"127.0.0.1:{server.Port}/app");

        await client.ListTagsAsync(repository, CancellationToken.None);
        await client.ListTagsAsync(repository, CancellationToken.None);

        Assert.Equal(2, server.Heads.Count);
        Assert.All(server.Heads, head => Assert.DoesNotContain("Cookie:", head, StringComparison.OrdinalIgnoreCase));
    }

    private static X509Certificate2 SelfSigned(string host)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // A key that SslStream can use on Linux: through a PKCS#12 round trip.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    /// <summary>Accepts connections and answers TLS handshakes with a certificate no one trusts.</summary>
    private sealed class TlsServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly X509Certificate2 _certificate;
        private int _handshakes;

        public TlsServer(X509Certificate2 certificate)
        {
            _certificate = certificate;
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Handshakes => Volatile.Read(ref _handshakes);

        private async Task AcceptAsync()
        {
            while (true)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(); }
                catch (Exception) { return; }
                Interlocked.Increment(ref _handshakes);
                _ = Task.Run(async () =>
                {
                    using (client)
                    using (var tls = new SslStream(client.GetStream()))
                    {
                        try { await tls.AuthenticateAsServerAsync(_certificate); }
                        catch (Exception) { }
                    }
                });
            }
        }

        public void Dispose() => _listener.Stop();
    }

    /// <summary>A registry stand-in that sets cookies on every answer (as Harbor does) and records each request head.</summary>
    private sealed class CookieServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public CookieServer()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public List<string> Heads { get; } = [];

        private async Task AcceptAsync()
        {
            while (true)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(); }
                catch (Exception) { return; }
                using (client)
                {
                    var stream = client.GetStream();
                    var head = new StringBuilder();
                    var buffer = new byte[4096];
                    while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        int n = await stream.ReadAsync(buffer);
                        if (n == 0) break;
                        head.Append(Encoding.ASCII.GetString(buffer, 0, n));
                    }
                    lock (Heads) Heads.Add(head.ToString());
                    byte[] body = """{"name":"app","tags":["1.0"]}"""u8.ToArray();
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(
                        $"HTTP/1.1 200 OK\r\nSet-Cookie: sid={Guid.NewGuid():N}; Path=/\r\nSet-Cookie: __csrf=token; Path=/\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
                    await stream.WriteAsync(body);
                }
            }
        }

        public void Dispose() => _listener.Stop();
    }
}
