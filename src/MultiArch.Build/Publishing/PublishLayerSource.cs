using MultiArch.Build.Layers;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Turns one platform's publish output into layer entries under the working directory. Only the files
/// the publish reported go in, so a file left in the publish folder by an earlier publish does not leak
/// into the image. Modes are made independent of the machine's umask: directories 0755, files 0755 when
/// anyone may execute them (the apphost, scripts) and 0644 otherwise, so the same app gives the same
/// digests wherever it is published, and nothing gains an exec bit it did not have.
/// </summary>
public static class PublishLayerSource
{
    public static IReadOnlyList<LayerEntry> EntriesFor(PublishedPlatform platform, string workingDirectory)
    {
        string imageRoot = ImageRootOf(workingDirectory);
        var all = LayerEntries.FromDirectory(platform.PublishDirectory, imageRoot).Select(Normalize).ToList();
        if (platform.Files.Count == 0) return all;

        var published = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in platform.Files)
            published.Add(ImagePathOf(imageRoot, file.RelativePath));

        var kept = all.Where(e => e.Kind == LayerEntryKind.Directory || published.Contains(e.ImagePath)).ToList();
        // Directories that hold no published file are leftovers too.
        var neededDirectories = new HashSet<string>(StringComparer.Ordinal) { imageRoot };
        foreach (var entry in kept.Where(e => e.Kind != LayerEntryKind.Directory))
        {
            for (string? dir = ParentOf(entry.ImagePath); dir is not null && dir.Length > 1; dir = ParentOf(dir))
                neededDirectories.Add(dir);
        }
        return kept.Where(e => e.Kind != LayerEntryKind.Directory || neededDirectories.Contains(e.ImagePath)).ToList();
    }

    /// <summary>The folder in the image the app is copied to: the working directory, absolute, without a trailing '/'.</summary>
    public static string ImageRootOf(string workingDirectory) => "/" + workingDirectory.Trim().Trim('/');

    /// <summary>Where a published file lands in the image.</summary>
    public static string ImagePathOf(string imageRoot, string relativePath) =>
        imageRoot.TrimEnd('/') + "/" + relativePath.Replace('\\', '/').TrimStart('/');

    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
    private const UnixFileMode Plain = (UnixFileMode)0b110_100_100;
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static LayerEntry Normalize(LayerEntry entry) => entry.Kind switch
    {
        LayerEntryKind.Directory => entry with { Mode = Executable },
        LayerEntryKind.File => entry with { Mode = (entry.Mode & AnyExecute) != 0 ? Executable : Plain },
        _ => entry,
    };

    private static string? ParentOf(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? null : path[..slash];
    }
}
