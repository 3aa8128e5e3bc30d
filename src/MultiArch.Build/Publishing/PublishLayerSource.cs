using MultiArch.Build.Layers;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Turns one platform's publish output into layer entries under the working directory. Only the files
/// the publish reported go in, so a file left in the publish folder by an earlier publish does not leak
/// into the image.
/// </summary>
public static class PublishLayerSource
{
    public static IReadOnlyList<LayerEntry> EntriesFor(PublishedPlatform platform, string workingDirectory)
    {
        string imageRoot = "/" + workingDirectory.Trim().Trim('/');
        var all = LayerEntries.FromDirectory(platform.PublishDirectory, imageRoot);
        if (platform.Files.Count == 0) return all;

        var published = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in platform.Files)
            published.Add(imageRoot.TrimEnd('/') + "/" + file.RelativePath.Replace('\\', '/').TrimStart('/'));

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

    private static string? ParentOf(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? null : path[..slash];
    }
}
