using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MultiArch.Build.Testing;

/// <summary>
/// A real <c>docker-registry serve</c> (CNCF distribution) on a free port of a chosen loopback address, with its own
/// temporary storage and log, and config sections the test adds (<c>auth:</c>, <c>tls:</c>). Files those sections name
/// are written into <see cref="Directory"/> first. It is ready when its port accepts connections (the registry listens
/// only once it is set up, with or without TLS). A test can <see cref="Kill"/> it and <see cref="RestartAsync"/> it on
/// the same port, storage and secret, as an orchestrator restarts a registry. Killed and its folder removed on dispose,
/// and only then: on Linux a child process outlives a test host that ends without disposing it, so every owner
/// disposes it. <see cref="RegistryFixture"/> is the xunit face of it.
/// </summary>
public sealed class RegistryProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    // One secret for the registry's whole life: upload state signed before a restart still checks after it.
    private readonly string _secret = Guid.NewGuid().ToString("N");
    private readonly object _logLock = new();
    private StreamWriter? _log;
    private Process? _process;

    public RegistryProcess(IPAddress? address = null)
    {
        Address = address ?? IPAddress.Loopback;
        if (!IPAddress.IsLoopback(Address)) throw new ArgumentException("Test registries listen on loopback addresses only.", nameof(address));
        Directory = System.IO.Directory.CreateTempSubdirectory("mab-registry").FullName;
        Port = FreePort(Address);
    }

    public IPAddress Address { get; }

    public int Port { get; }

    /// <summary><c>address:port</c>, the registry part of image references when the registry is reached by address.</summary>
    public string Host => $"{Address}:{Port}";

    /// <summary>The registry's folder: config.yml, storage/, registry.log and whatever the test writes.</summary>
    public string Directory { get; }

    private string ConfigPath => PathOf("config.yml");

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Everything the registry printed so far, across restarts.</summary>
    public string Log
    {
        get
        {
            try { return File.Exists(PathOf("registry.log")) ? File.ReadAllText(PathOf("registry.log")) : ""; }
            catch (IOException) { return ""; }
        }
    }

    /// <summary>Writes the config and starts the registry.</summary>
    /// <param name="sections">YAML top-level sections (e.g. <c>auth:</c>), appended to the config as they are.</param>
    /// <param name="httpSection">YAML lines indented under <c>http:</c> (e.g. <c>tls:</c>).</param>
    /// <param name="logLevel">The registry's log level; at <c>info</c> it says why it refused a token.</param>
    public async Task StartAsync(string sections = "", string httpSection = "", string logLevel = "info")
    {
        await File.WriteAllTextAsync(ConfigPath, $"""
            version: 0.1
            log:
              level: {logLevel}
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {PathOf("storage")}
              delete:
                enabled: true
            http:
              addr: {Host}
              secret: {_secret}

            """ + httpSection + sections);
        await RestartAsync();
    }

    /// <summary>Starts the registry again after <see cref="Kill"/>, with the config, port and storage it had.</summary>
    public async Task RestartAsync()
    {
        if (_process is not null) throw new InvalidOperationException("The registry is running; kill it first.");
        if (!File.Exists(ConfigPath)) throw new InvalidOperationException("The registry was never started.");
        var start = new ProcessStartInfo(ProcessRunner.Find("docker-registry"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(ConfigPath);
        lock (_logLock) _log = new StreamWriter(PathOf("registry.log"), append: true) { AutoFlush = true };
        _process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilListeningAsync(_process);
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_logLock) _log?.WriteLine(line);
    }

    private async Task WaitUntilListeningAsync(Process process)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"docker-registry exited with code {process.ExitCode}: {Log}");
            using var probe = new TcpClient(Address.AddressFamily);
            try
            {
                await probe.ConnectAsync(Address, Port);
                return;
            }
            catch (SocketException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"docker-registry did not listen on {Host} within {StartTimeout.TotalSeconds} s: {Log}");
    }

    /// <summary>Kills the registry at once: open connections are reset, new ones refused until <see cref="RestartAsync"/>.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _process = null;
        lock (_logLock)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private static int FreePort(IPAddress address)
    {
        var listener = new TcpListener(address, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}
