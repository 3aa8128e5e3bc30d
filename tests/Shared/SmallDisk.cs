namespace MultiArch.Build.Testing;

/// <summary>
/// A real small disk for full-disk tests: a tmpfs of a given size mounted on a fresh folder, unmounted and removed on
/// dispose. Mounting needs root (or CAP_SYS_ADMIN), which CI has: <see cref="Mount"/> throws where it cannot mount, so
/// a full-disk test fails loudly instead of passing without having run.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path)
    {
        Path = path;
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Mounts a tmpfs of <paramref name="kilobytes"/> KiB on <paramref name="folder"/> (created if missing).</summary>
    public static SmallDisk Mount(string folder, int kilobytes)
    {
        Directory.CreateDirectory(folder);
        var result = ProcessRunner.Run("mount", ["-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", folder], timeout: TimeSpan.FromSeconds(10));
        if (result.ExitCode != 0)
        {
            Directory.Delete(folder);
            throw new InvalidOperationException($"Could not mount a {kilobytes} KiB tmpfs on {folder} (the full-disk tests need root): {result}");
        }
        return new SmallDisk(folder);
    }

    public void Dispose()
    {
        var timeout = TimeSpan.FromSeconds(10);
        if (ProcessRunner.Run("umount", [Path], timeout: timeout).ExitCode != 0) ProcessRunner.Run("umount", ["-l", Path], timeout: timeout);
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a folder still busy after a lazy unmount must not fail the test that used it */ }
    }
}
