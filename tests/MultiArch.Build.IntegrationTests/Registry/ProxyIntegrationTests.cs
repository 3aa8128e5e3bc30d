using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MultiArch.Build.IntegrationTests.Fixtures;

namespace MultiArch.Build.IntegrationTests.Registry;

/// <summary>
/// Pushes through a real proxy (squid), in a process of their own (<see cref="PushTool"/>), since .NET reads
/// HTTP_PROXY, HTTPS_PROXY and NO_PROXY once per process. The registries proved to be reached through the
/// proxy answer to a name only the proxy resolves (<c>registry.mab.test</c>, 127.0.0.2 in squid's own hosts
/// file): the client cannot reach them any other way, and squid's log names each request.
/// </summary>
public sealed class ProxyIntegrationTests : IClassFixture<PushTool>, IAsyncLifetime
{
    private const string RegistryName = "registry.mab.test";
    private static readonly IPAddress RegistryAddress = IPAddress.Parse("127.0.0.2");
    private readonly PushTool _tool;
    private readonly List<IAsyncDisposable> _started = [];
    private ForwardProxy _proxy = null!;

    public ProxyIntegrationTests(PushTool tool)
    {
        _tool = tool;
    }

    public async Task InitializeAsync()
    {
        _proxy = await ForwardProxy.StartAsync(new Dictionary<string, IPAddress> { [RegistryName] = RegistryAddress });
        _started.Add(_proxy);
    }

    public async Task DisposeAsync()
    {
        foreach (var started in _started) await started.DisposeAsync();
    }

    [Fact]
    public async Task HttpsProxyCarriesThePushToAnHttpsRegistry()
    {
        var (registry, certificate) = await StartTlsRegistryAsync();
        string host = $"{RegistryName}:{registry.Port}";
        var environment = new Dictionary<string, string> { ["SSL_CERT_FILE"] = certificate };

        // Without the proxy the name does not resolve: a push that works went through the proxy.
        var direct = await _tool.PushAsync($"{host}/proxy/https:1", 800, environment);
        Assert.Equal(1, direct.ExitCode);
        Assert.Matches($@"MAB\d{{4}}: .*{RegistryName}", direct.Error);
        Assert.Empty(_proxy.Requests());

        environment["HTTPS_PROXY"] = _proxy.Url;
        var proxied = await _tool.PushAsync($"{host}/proxy/https:1", 800, environment);

        Assert.True(proxied.ExitCode == 0, proxied.ToString());
        Assert.Contains($"{host}/proxy/https@{ExpectedIndex(800).Descriptor.Digest}", proxied.Output);
        var requests = await _proxy.WaitForAsync(r => r.Method == "CONNECT" && r.Target == host);
        Assert.Contains(new ProxiedRequest("CONNECT", host), requests);
        Assert.All(requests, r => Assert.Equal("CONNECT", r.Method)); // TLS end to end: squid sees tunnels only
        Assert.Equal(ExpectedIndex(800).IndexBytes, Skopeo.InspectRawBytes($"{registry.Host}/proxy/https:1"));
    }

    [Fact]
    public async Task HttpProxyCarriesThePushToAPlainHttpRegistry()
    {
        var registry = await StartRegistryAsync(RegistryAddress);
        string host = $"{RegistryName}:{registry.Port}";
        var environment = new Dictionary<string, string>
        {
            ["HTTP_PROXY"] = _proxy.Url,
            ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = host,
        };

        var result = await _tool.PushAsync($"{host}/proxy/http:1", 810, environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        var requests = await _proxy.WaitForAsync(r => r.Method == "PUT" && r.Target.EndsWith("/manifests/1", StringComparison.Ordinal));
        string api = $"http://{host}/v2/proxy/http/";
        Assert.Contains(new ProxiedRequest("PUT", api + "manifests/1"), requests);
        foreach (var blob in ExpectedIndex(810).Images.SelectMany(i => i.Blobs))
            Assert.Contains(new ProxiedRequest("HEAD", api + "blobs/" + blob.Descriptor.Digest), requests);
        Assert.Contains(requests, r => r.Method == "POST" && r.Target == api + "blobs/uploads/");
        Assert.Equal(ExpectedIndex(810).IndexBytes, Skopeo.InspectRawBytes($"{registry.Host}/proxy/http:1"));
    }

    [Fact]
    public async Task NoProxyNamesRegistriesReachedDirectly()
    {
        var registry = await StartRegistryAsync(IPAddress.Loopback);
        var environment = new Dictionary<string, string> { ["HTTP_PROXY"] = _proxy.Url };

        // .NET does not leave loopback addresses out of an environment proxy on its own (Go's clients do):
        // without NO_PROXY the push to 127.0.0.1 goes through squid. So what the second push shows is NO_PROXY's doing.
        var proxied = await _tool.PushAsync($"{registry.Host}/noproxy/control:1", 820, environment);
        Assert.True(proxied.ExitCode == 0, proxied.ToString());
        Assert.Contains(await _proxy.WaitForAsync(r => r.Target.Contains("/noproxy/control/manifests/1", StringComparison.Ordinal)),
            r => r.Method == "PUT" && r.Target == $"http://{registry.Host}/v2/noproxy/control/manifests/1");

        environment["NO_PROXY"] = "127.0.0.1";
        var direct = await _tool.PushAsync($"{registry.Host}/noproxy/direct:1", 821, environment);

        Assert.True(direct.ExitCode == 0, direct.ToString());
        Assert.DoesNotContain(_proxy.Requests(), r => r.Target.Contains("/noproxy/direct/", StringComparison.Ordinal));
        Assert.Equal(ExpectedIndex(821).IndexBytes, Skopeo.InspectRawBytes($"{registry.Host}/noproxy/direct:1"));
    }

    /// <summary>The index <see cref="PushProgram"/> pushes for a seed, made the same way here.</summary>
    private static Images.IndexArtifact ExpectedIndex(int seed)
    {
        using var images = new TinyImages();
        return images.TwoPlatforms(seed);
    }

    private async Task<RegistryProcess> StartRegistryAsync(IPAddress address, string httpSection = "")
    {
        var registry = new RegistryProcess(address);
        _started.Add(registry);
        await registry.StartAsync(httpSection: httpSection);
        return registry;
    }

    /// <summary>A registry serving TLS on 127.0.0.2 with a self-signed certificate for <see cref="RegistryName"/>; the certificate's path is the trust the client gets.</summary>
    private async Task<(RegistryProcess Registry, string CertificatePath)> StartTlsRegistryAsync()
    {
        var registry = new RegistryProcess(RegistryAddress);
        _started.Add(registry);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={RegistryName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(RegistryName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
        string certificatePath = registry.PathOf("registry.crt");
        string keyPath = registry.PathOf("registry.key");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        await registry.StartAsync(httpSection: $"  tls:\n    certificate: {certificatePath}\n    key: {keyPath}\n");
        return (registry, certificatePath);
    }
}
