using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MultiArch.Build.IntegrationTests.Fixtures;

/// <summary>
/// A <c>docker-registry serve</c> that a test can kill and start again on the same port with the same storage, as an
/// orchestrator restarts a registry: while it is down, connections are refused. Killed and its folder removed on dispose.
/// </summary>
public sealed class RestartableRegistry : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("mab-restart").FullName;
    private Process? _process;

    public RestartableRegistry()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        string config = Path.Combine(_directory, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Path.Combine(_directory, "storage")}
            http:
              addr: {Host}
              secret: restartable-registry-secret
            """);
        var start = new ProcessStartInfo(ProcessRunner.Find("docker-registry")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        _process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"docker-registry exited with code {_process.ExitCode}.");
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"docker-registry did not listen on {Host} within {StartTimeout.TotalSeconds} s.");
    }

    /// <summary>Kills the registry at once: open connections are reset, new ones refused until <see cref="StartAsync"/>.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
