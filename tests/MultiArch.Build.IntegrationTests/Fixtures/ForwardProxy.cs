using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MultiArch.Build.IntegrationTests.Fixtures;

/// <summary>One request squid handled: the method (GET, PUT, CONNECT…) and the URL or, for CONNECT, host:port.</summary>
public sealed record ProxiedRequest(string Method, string Target);

/// <summary>
/// A real forward proxy, squid, on a free 127.0.0.1 port: plain HTTP requests in absolute form and
/// CONNECT tunnels, logged one line per request. It resolves names only from a hosts file of its own,
/// so a registry can have a name that nothing but the proxy knows (a client that reaches it by that
/// name went through the proxy), and it refuses every destination outside 127.0.0.0/8 and sends DNS
/// queries nowhere but 127.0.0.1, so nothing leaves the machine. It is stopped, its shared memory
/// and its folder removed, on dispose.
/// </summary>
public sealed class ForwardProxy : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("mab-proxy").FullName;
    // squid takes only letters and digits here.
    private readonly string _service = "mabproxy" + Guid.NewGuid().ToString("N")[..12];
    private readonly StringBuilder _output = new();
    private Process? _process;

    private ForwardProxy()
    {
    }

    public int Port { get; private set; }

    /// <summary>The proxy URL for HTTP_PROXY and HTTPS_PROXY.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    private string AccessLogPath => Path.Combine(_directory, "access.log");

    /// <param name="hosts">Names only the proxy resolves, each to a loopback address.</param>
    public static async Task<ForwardProxy> StartAsync(IReadOnlyDictionary<string, IPAddress> hosts)
    {
        var proxy = new ForwardProxy();
        try
        {
            await proxy.StartAsync(hosts.Select(h => IPAddress.IsLoopback(h.Value)
                ? $"{h.Value} {h.Key}"
                : throw new ArgumentException($"{h.Key} must map to a loopback address, not {h.Value}.", nameof(hosts))));
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
        return proxy;
    }

    private async Task StartAsync(IEnumerable<string> hostLines)
    {
        // Run as root, squid drops to its own user (proxy), which must be able to write its logs here.
        if (!OperatingSystem.IsWindows() && Environment.UserName == "root")
            File.SetUnixFileMode(_directory, (UnixFileMode)0b111_111_111);
        await File.WriteAllLinesAsync(Path.Combine(_directory, "hosts"), hostLines);
        Port = FreePort();
        string config = Path.Combine(_directory, "squid.conf");
        await File.WriteAllTextAsync(config, $"""
            http_port 127.0.0.1:{Port}
            pid_filename {Path.Combine(_directory, "squid.pid")}
            access_log stdio:{AccessLogPath} squid
            cache_log {Path.Combine(_directory, "cache.log")}
            cache_store_log none
            coredump_dir {_directory}
            hosts_file {Path.Combine(_directory, "hosts")}
            dns_nameservers 127.0.0.1
            cache deny all
            cache_mem 0 MB
            pinger_enable off
            visible_hostname {_service}
            acl loopback_src src 127.0.0.0/8
            acl loopback_dst dst 127.0.0.0/8
            http_access deny !loopback_dst
            http_access allow loopback_src
            http_access deny all
            shutdown_lifetime 0 seconds

            """);
        var start = new ProcessStartInfo(SquidPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -N: stay in the foreground; -n: a service name of its own, which names its shared memory segments.
        foreach (string argument in new[] { "-N", "-n", _service, "-f", config }) start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException("squid did not start.");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilListeningAsync();
    }

    /// <summary>squid lives in /usr/sbin, which is not on every user's PATH; missing altogether, the test fails (never skips).</summary>
    private static string SquidPath() => File.Exists("/usr/sbin/squid") ? "/usr/sbin/squid" : ProcessRunner.Find("squid");

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                _process.WaitForExit(); // drains what it printed
                throw new InvalidOperationException($"squid exited with code {_process.ExitCode}: {Printed()}{ReadText("cache.log")}");
            }
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"squid did not listen on {Url} within {StartTimeout.TotalSeconds} s: {Printed()}{ReadText("cache.log")}");
    }

    /// <summary>The requests logged so far. Squid logs a request when it ends, a CONNECT tunnel when it closes.</summary>
    public IReadOnlyList<ProxiedRequest> Requests()
    {
        // squid's native format: time elapsed client code/status bytes method URL user hierarchy type
        return [.. ReadText("access.log").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            // A connection closed before any request (the start-up probe) is logged with method "-".
            .Where(fields => fields.Length >= 7 && fields[5] != "-")
            .Select(fields => new ProxiedRequest(fields[5], fields[6]))];
    }

    /// <summary>Waits until the log holds a request that matches (a tunnel is logged only once its client has closed it).</summary>
    public async Task<IReadOnlyList<ProxiedRequest>> WaitForAsync(Func<ProxiedRequest, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var requests = Requests();
            if (requests.Any(match) || DateTime.UtcNow > deadline) return requests;
            await Task.Delay(100);
        }
    }

    private string Printed()
    {
        lock (_output) return _output.ToString();
    }

    private string ReadText(string name)
    {
        string path = Path.Combine(_directory, name);
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

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // SIGTERM lets squid remove its shared memory segments; a kill is the fallback.
            await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        foreach (string segment in Directory.Exists("/dev/shm") ? Directory.GetFiles("/dev/shm", _service + "-*") : [])
        {
            try { File.Delete(segment); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
