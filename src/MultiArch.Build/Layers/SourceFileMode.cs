namespace MultiArch.Build.Layers;

/// <summary>
/// The mode a file or directory on disk carries into a layer. On Unix that is its real mode, so an
/// executable stays executable and nothing gains the exec bit. Windows has no Unix modes to read:
/// there files get 0644 and directories 0755, and a caller that knows better (the apphost of a
/// Linux app) sets the mode on the entry itself.
/// </summary>
internal static class SourceFileMode
{
    public const UnixFileMode WindowsFileMode = (UnixFileMode)0x1A4; // 0644

    public static UnixFileMode Of(FileSystemInfo info)
    {
        if (OperatingSystem.IsWindows())
            return info is DirectoryInfo ? LayerEntry.DirectoryMode : WindowsFileMode;
        return info.UnixFileMode;
    }
}
