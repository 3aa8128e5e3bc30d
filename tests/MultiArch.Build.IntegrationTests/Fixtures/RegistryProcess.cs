using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MultiArch.Build.IntegrationTests.Fixtures;

/// <summary>
/// A <c>docker-registry serve</c> (CNCF distribution) on a free port of a chosen loopback address, with
/// config sections the test adds (<c>auth: token</c>, <c>tls</c>) beside its own storage and log. Files
/// those sections name are written into <see cref="Directory"/> first. It is ready when its port accepts
/// connections (the registry listens only once it is set up, with or without TLS); it is killed and
/// its folder removed on dispose. <see cref="RegistryFixture"/> starts the plain and htpasswd registries.
/// </summary>
public sealed class RegistryProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
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

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Everything the registry printed so far.</summary>
    public string Log
    {
        get
        {
            try { return File.Exists(PathOf("registry.log")) ? File.ReadAllText(PathOf("registry.log")) : ""; }
            catch (IOException) { return ""; }
        }
    }

    /// <param name="sections">YAML top-level sections (e.g. <c>auth:</c>), appended to the config as they are.</param>
    /// <param name="httpSection">YAML lines indented under <c>http:</c> (e.g. <c>tls:</c>).</param>
    public async Task StartAsync(string sections = "", string httpSection = "")
    {
        string config = PathOf("config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {PathOf("storage")}
              delete:
                enabled: true
            http:
              addr: {Host}
              secret: {Guid.NewGuid():N}

            """ + httpSection + sections);
        var start = new ProcessStartInfo(ProcessRunner.Find("docker-registry"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        _process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start.");
        var log = new StreamWriter(PathOf("registry.log")) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilListeningAsync();
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"docker-registry exited with code {_process.ExitCode}: {Log}");
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(Address, Port);
                return;
            }
            catch (SocketException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"docker-registry did not listen on {Host} within {StartTimeout.TotalSeconds} s: {Log}");
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
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}
