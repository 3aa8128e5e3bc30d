using System.Diagnostics;

namespace MultiArch.Build.Testing;

/// <summary>
/// A private containerd, the runtime under Kubernetes, for tests that check what it picks from an index or
/// how it names an imported image. It runs as a child of the test host with its own root, state, socket and
/// opt folder under one temp folder, with the CRI plugin (which wants CNI and a cgroup setup) and the
/// snapshotters this machine has no kernel or filesystem for switched off, so it starts with no error and
/// leaves the system's /var/lib/containerd, /run/containerd and /opt/containerd alone. Dispose kills it and
/// removes the folder and anything that appeared under /run/containerd while it ran (its shims' sockets, when
/// a test runs a container). containerd needs root; a missing binary fails the test.
/// </summary>
public sealed class ContainerdDaemon : IDisposable
{
    private const string SystemState = "/run/containerd";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _directory;
    private readonly bool _systemStateExisted;
    private readonly HashSet<string> _systemStateBefore;
    private readonly object _logLock = new();
    private StreamWriter? _log;

    private ContainerdDaemon(string directory)
    {
        _directory = directory;
        _systemStateExisted = Directory.Exists(SystemState);
        _systemStateBefore = SystemStateEntries();
        string config = Path.Combine(directory, "config.toml");
        File.WriteAllText(config, $"""
            version = 2
            root = "{Path.Combine(directory, "root")}"
            state = "{Path.Combine(directory, "state")}"
            disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]
            [grpc]
              address = "{Address}"
            [plugins."io.containerd.internal.v1.opt"]
              path = "{Path.Combine(directory, "opt")}"
            """);
        var start = new ProcessStartInfo(ProcessRunner.Find("containerd"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config);
        _process = Process.Start(start) ?? throw new InvalidOperationException("containerd did not start.");
        _log = new StreamWriter(LogPath) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The daemon's socket; every <c>ctr</c> call goes there.</summary>
    public string Address => Path.Combine(_directory, "containerd.sock");

    private string LogPath => Path.Combine(_directory, "containerd.log");

    /// <summary>Starts a containerd and waits until it answers; dispose it when done.</summary>
    public static ContainerdDaemon Start()
    {
        var daemon = new ContainerdDaemon(Directory.CreateTempSubdirectory("mab-containerd").FullName);
        try
        {
            daemon.WaitUntilReady();
            return daemon;
        }
        catch
        {
            daemon.Dispose();
            throw;
        }
    }

    /// <summary>Runs <c>ctr</c> against this daemon and throws with everything printed unless it succeeds.</summary>
    public ProcessResult Ctr(params string[] arguments) => ProcessRunner.RunChecked("ctr", ["--address", Address, .. arguments]);

    /// <summary>
    /// <c>ctr image pull --plain-http --platform …</c>: containerd's own platform matcher chooses the manifest
    /// and unpacks it (<see cref="UnpackedManifests"/> tells which one it chose).
    /// </summary>
    public ProcessResult Pull(string reference, string platform) => Ctr("image", "pull", "--plain-http", "--platform", platform, reference);

    /// <summary><c>ctr image import</c> of an image archive, named as the archive names it.</summary>
    public ProcessResult Import(string archive) => Ctr("image", "import", archive);

    /// <summary>The names of the images in the daemon's store.</summary>
    public IReadOnlyList<string> ImageNames() => Lines(Ctr("image", "ls", "-q").Output);

    /// <summary>
    /// The manifests whose images were unpacked into a snapshot. A pull fetches every manifest that matches
    /// the platform but unpacks only the one containerd picked: the content store marks that image's config
    /// with a snapshot reference, and the manifest names its config.
    /// </summary>
    public IReadOnlyList<string> UnpackedManifests()
    {
        var blobs = Lines(Ctr("content", "ls").Output).Skip(1).Select(line => line.Split('\t', StringSplitOptions.RemoveEmptyEntries))
            .Where(columns => columns.Length >= 4)
            .Select(columns => (Digest: columns[0], Labels: columns[^1].Split(',')))
            .ToList();
        var unpackedConfigs = blobs.Where(b => b.Labels.Any(l => l.StartsWith("containerd.io/gc.ref.snapshot.", StringComparison.Ordinal))).Select(b => b.Digest).ToHashSet();
        return blobs.Where(b => b.Labels.Any(l => l.StartsWith("containerd.io/gc.ref.content.config=", StringComparison.Ordinal) && unpackedConfigs.Contains(l.Split('=')[1])))
            .Select(b => b.Digest).ToList();
    }

    private void WaitUntilReady()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"containerd exited with code {_process.ExitCode}: {ReadLog()}");
            if (File.Exists(Address) && ProcessRunner.Run("ctr", ["--address", Address, "version"]).ExitCode == 0) return;
            Thread.Sleep(100);
        }
        throw new TimeoutException($"containerd did not answer on {Address} within {StartTimeout.TotalSeconds} s: {ReadLog()}");
    }

    // Lines can still arrive after Dispose closed the log; they are dropped.
    private void Append(string? line)
    {
        if (line is null) return;
        lock (_logLock) _log?.WriteLine(line);
    }

    private string ReadLog()
    {
        try { return File.Exists(LogPath) ? File.ReadAllText(LogPath) : ""; }
        catch (IOException) { return ""; }
    }

    private static List<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>Everything two levels down in /run/containerd (the shim socket folder <c>s/</c> and the runtimes' folders).</summary>
    private static HashSet<string> SystemStateEntries()
    {
        var entries = new HashSet<string>(StringComparer.Ordinal);
        if (!Directory.Exists(SystemState)) return entries;
        foreach (var entry in Directory.EnumerateFileSystemEntries(SystemState))
        {
            entries.Add(entry);
            if (Directory.Exists(entry))
                foreach (var child in Directory.EnumerateFileSystemEntries(entry)) entries.Add(child);
        }
        return entries;
    }

    private void RemoveSystemStateAdded()
    {
        // Deepest first, so a folder this daemon added goes after what it holds.
        foreach (var entry in SystemStateEntries().Except(_systemStateBefore).OrderByDescending(e => e.Length))
        {
            try
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        if (!_systemStateExisted && Directory.Exists(SystemState) && !Directory.EnumerateFileSystemEntries(SystemState).Any())
            Directory.Delete(SystemState);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        lock (_logLock)
        {
            _log?.Dispose();
            _log = null;
        }
        RemoveSystemStateAdded();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
