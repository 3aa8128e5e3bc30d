using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MultiArch.Build.Testing;

/// <summary>
/// A real CNCF distribution registry (<c>docker-registry serve</c>) on a free 127.0.0.1 port with
/// its own temporary storage, optionally guarded by htpasswd Basic auth. It is ready when
/// <c>/v2/</c> answers and is killed on dispose. Use it as an xunit class fixture, or start one
/// with <see cref="StartAsync"/> when a test needs its own. The one way every test project starts a
/// registry (build/start-registry.sh is for people and scripts); it is a child of the test host, so it ends
/// with the test run.
/// </summary>
public class RegistryFixture : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private Process? _process;

    public RegistryFixture()
        : this(null, null)
    {
    }

    protected RegistryFixture(string? user, string? password)
    {
        User = user;
        Password = password;
        Directory = System.IO.Directory.CreateTempSubdirectory("mab-registry").FullName;
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
    public string Host => $"127.0.0.1:{Port}";

    public int Port { get; private set; }

    /// <summary>The htpasswd user, or null for an open registry.</summary>
    public string? User { get; }

    public string? Password { get; }

    public bool RequiresAuth => User is not null;

    /// <summary>The fixture's temp folder: config.yml, htpasswd, storage/ and the registry's log.</summary>
    private string Directory { get; }

    private string StorageDirectory => Path.Combine(Directory, "storage");

    /// <summary><c>--creds user:password</c> for skopeo, or nothing for an open registry.</summary>
    public IReadOnlyList<string> SkopeoCredentials() => RequiresAuth ? ["--creds", $"{User}:{Password}"] : [];

    public async Task InitializeAsync()
    {
        Port = FreePort();
        string htpasswd = Path.Combine(Directory, "htpasswd");
        if (RequiresAuth)
        {
            string line = (await ProcessRunner.RunCheckedAsync("htpasswd", "-Bbn", User!, Password!)).Output;
            await File.WriteAllTextAsync(htpasswd, line.Trim() + "\n");
        }
        string config = Path.Combine(Directory, "config.yml");
        await File.WriteAllTextAsync(config, Config(htpasswd));
        var start = new ProcessStartInfo(ProcessRunner.Find("docker-registry"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        _process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start.");
        var log = new StreamWriter(Path.Combine(Directory, "registry.log")) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync();
    }

    private string Config(string htpasswd)
    {
        string auth = RequiresAuth ? $"auth:\n  htpasswd:\n    realm: mab-test\n    path: {htpasswd}\n" : "";
        return $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {StorageDirectory}
              delete:
                enabled: true
            http:
              addr: {Host}
              secret: {Guid.NewGuid():N}
            """ + "\n" + auth;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"docker-registry exited with code {_process.ExitCode}: {ReadLog()}");
            try
            {
                using var response = await client.GetAsync($"http://{Host}/v2/");
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"docker-registry did not answer on {Host} within {StartTimeout.TotalSeconds} s: {ReadLog()}");
    }

    private string ReadLog()
    {
        string path = Path.Combine(Directory, "registry.log");
        try { return File.Exists(path) ? File.ReadAllText(path) : ""; }
        catch (IOException) { return ""; }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}

/// <summary>A registry that demands htpasswd Basic auth (user <c>mab-user</c>).</summary>
public sealed class AuthenticatedRegistryFixture : RegistryFixture
{
    public AuthenticatedRegistryFixture()
        : base("mab-user", "mab-Pa55-" + Guid.NewGuid().ToString("N")[..8])
    {
    }
}
