using System.Diagnostics;

namespace MultiArch.Build.Tests.Layout;

/// <summary>
/// A real small disk for full-disk tests: a tmpfs of a given size mounted on a fresh folder, unmounted and removed on
/// dispose. Mounting needs root (or CAP_SYS_ADMIN); <see cref="TryMount"/> returns null where that is not allowed.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public static SmallDisk? TryMount(string folder, int kilobytes)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root") return null;
        Directory.CreateDirectory(folder);
        if (Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", folder) != 0)
        {
            Directory.Delete(folder);
            return null;
        }
        return new SmallDisk(folder);
    }

    private static int Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            process.WaitForExit(10_000);
            return process.HasExited ? process.ExitCode : -1;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    public void Dispose()
    {
        if (Run("umount", Path) != 0) Run("umount", "-l", Path);
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
