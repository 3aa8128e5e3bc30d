using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Layers;

/// <summary>
/// The entries of one Windows layer in the order they are written. Windows' importers read a layer whose every entry is
/// under <c>Files/</c> (drive C: of the container, so <c>C:\app\x.dll</c> is <c>Files/app/x.dll</c>) or <c>Hives/</c>
/// (registry changes; this build makes none, and the folder is written empty as Windows' own layers have it). Each folder
/// must come before what it holds, since the importer creates one level at a time: <see cref="LayerTree.Arrange"/> adds
/// every parent, <c>Files</c> included, and sorts by path, which puts <c>Files</c> first and <c>Hives</c> last.
/// </summary>
/// <remarks>
/// What Windows cannot hold is refused before anything is written, with the file named: a symbolic link (its target
/// would be a Linux path), a name Windows does not allow (<c>&lt;&gt;:"\|?*</c>, control characters, a trailing dot or
/// space, device names such as <c>NUL</c>), and two names that differ only by case, which are one file on Windows.
/// A ':' matters beyond Windows' rules: the importer reads <c>file:name</c> as an alternate data stream of <c>file</c>.
/// </remarks>
internal static class WindowsLayerTree
{
    /// <summary>The layer folder that is drive C: of the container.</summary>
    public const string FilesRoot = "/Files";

    /// <summary>The layer folder of registry hive changes.</summary>
    public const string HivesRoot = "/Hives";

    private static readonly char[] InvalidCharacters = ['<', '>', ':', '"', '\\', '|', '?', '*'];

    private static readonly HashSet<string> DeviceNames = new(
        ["CON", "PRN", "AUX", "NUL", .. Enumerable.Range(1, 9).SelectMany(n => new[] { $"COM{n}", $"LPT{n}" })],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// One layer's entries as written: every parent folder, then <c>Hives</c>. The entries must have passed
    /// <see cref="Check"/>, together with those of the image's other new layers.
    /// </summary>
    /// <param name="entries">Entries under <see cref="FilesRoot"/>, such as a publish folder placed at <c>/Files/app</c>.</param>
    public static IReadOnlyList<LayerEntry> Arrange(IEnumerable<LayerEntry> entries) =>
        LayerTree.Arrange([.. entries.Select(UnderFiles), LayerEntry.Directory(HivesRoot)]);

    /// <summary>
    /// Refuses what Windows cannot hold (see the remarks). Given every entry of an image's new layers at once, since two
    /// names that differ only by case clash on the container's drive C: even when the planner puts them in different layers.
    /// </summary>
    public static void Check(IEnumerable<LayerEntry> entries)
    {
        var byFolded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            string path = ImagePath.Normalize(UnderFiles(entry).ImagePath);
            if (entry.Kind == LayerEntryKind.Symlink)
                throw new MabException(ErrorCode.WindowsLayerSymlink,
                    $"The publish output holds a symbolic link, {ContainerPath(path)} -> {entry.LinkTarget}, which a Windows image cannot hold. Replace the link with the file it points at, or leave the Windows platforms out of ContainerPlatforms.");
            CheckName(path);
            if (byFolded.TryGetValue(path, out string? other) && other != path)
                throw new MabException(ErrorCode.WindowsLayerInvalidName,
                    $"{ContainerPath(other)} and {ContainerPath(path)} differ only by case, and Windows file names do not, so a Windows image can hold only one of them. Rename one, or leave the Windows platforms out of ContainerPlatforms.");
            byFolded[path] = path;
        }
    }

    private static LayerEntry UnderFiles(LayerEntry entry)
    {
        string path = ImagePath.Normalize(entry.ImagePath);
        return path == FilesRoot || path.StartsWith(FilesRoot + "/", StringComparison.Ordinal)
            ? entry
            : throw new ArgumentException($"{path} is not under {FilesRoot}, where a Windows layer keeps its files.", nameof(entry));
    }

    /// <summary>How the container sees a layer path: <c>/Files/app/x.dll</c> is <c>C:\app\x.dll</c>.</summary>
    public static string ContainerPath(string layerPath) =>
        @"C:\" + layerPath[FilesRoot.Length..].TrimStart('/').Replace('/', '\\');

    private static void CheckName(string path)
    {
        foreach (string segment in path[(FilesRoot.Length)..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string? problem =
                segment.IndexOfAny(InvalidCharacters) >= 0 ? "it holds one of < > : \" \\ | ? *"
                : segment.Any(char.IsControl) ? "it holds a control character"
                : segment.EndsWith('.') || segment.EndsWith(' ') ? "it ends with a dot or a space"
                : DeviceNames.Contains(segment.Split('.')[0].TrimEnd(' ')) ? "it is the name of a device"
                : null;
            if (problem is not null)
                throw new MabException(ErrorCode.WindowsLayerInvalidName,
                    $"'{segment}' in {ContainerPath(path)} cannot be a file name on Windows: {problem}. Rename it, or leave the Windows platforms out of ContainerPlatforms.");
        }
    }
}
