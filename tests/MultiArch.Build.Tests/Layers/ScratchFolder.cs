namespace MultiArch.Build.Tests.Layers;

/// <summary>A temp folder for one test, deleted afterwards.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder()
    {
        Path = Directory.CreateTempSubdirectory("mab-layers-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file with fixed content and an explicit mode, creating its folder (mode 0755).</summary>
    public string File(string relative, string content, UnixFileMode mode)
    {
        string path = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        SetMode(path, mode);
        return path;
    }

    public string Folder(string relative, UnixFileMode mode)
    {
        string path = Combine(relative);
        Directory.CreateDirectory(path);
        SetMode(path, mode);
        return path;
    }

    public string Symlink(string relative, string target)
    {
        string path = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.CreateSymbolicLink(path, target);
        return path;
    }

    // The layer tests describe a Linux image, built and checked on Linux; Windows has no modes to set.
    private static void SetMode(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Unix file modes need Linux or macOS.");
        System.IO.File.SetUnixFileMode(path, mode);
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* best effort: a leftover temp folder must not fail a test */ }
    }
}
