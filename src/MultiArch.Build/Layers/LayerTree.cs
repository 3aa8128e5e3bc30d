using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Layers;

/// <summary>
/// The entries of one layer in the order they are written: every path checked, every missing
/// parent directory added (mode 0755), and everything sorted by path, ordinal, so that parents
/// come before their children and the same entries always give the same tar.
/// </summary>
internal static class LayerTree
{
    public static IReadOnlyList<LayerEntry> Arrange(IEnumerable<LayerEntry> entries)
    {
        var byPath = new Dictionary<string, LayerEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            string path = ImagePath.Normalize(entry.ImagePath);
            Validate(entry);
            if (!byPath.TryAdd(path, entry with { ImagePath = path }))
                throw Duplicate(path, "two entries have this path");
        }
        foreach (string path in byPath.Keys.ToList())
            AddParents(byPath, path);
        var ordered = byPath.Values.ToList();
        ordered.Sort((a, b) => string.CompareOrdinal(a.ImagePath, b.ImagePath));
        return ordered;
    }

    private static void AddParents(Dictionary<string, LayerEntry> byPath, string path)
    {
        for (string? parent = ImagePath.Parent(path); parent is not null; parent = ImagePath.Parent(parent))
        {
            if (byPath.TryGetValue(parent, out var existing))
            {
                if (existing.Kind != LayerEntryKind.Directory)
                    throw Duplicate(parent, $"it is a {existing.Kind.ToString().ToLowerInvariant()} and also the parent of {path}");
                return; // its own parents were added when it was visited
            }
            byPath.Add(parent, LayerEntry.Directory(parent));
        }
    }

    private static void Validate(LayerEntry entry)
    {
        if (entry.Kind == LayerEntryKind.File && string.IsNullOrEmpty(entry.SourcePath))
            throw new ArgumentException($"File entry {entry.ImagePath} has no source path.", nameof(entry));
        if (entry.Kind == LayerEntryKind.Symlink && string.IsNullOrEmpty(entry.LinkTarget))
            throw new ArgumentException($"Symlink entry {entry.ImagePath} has no link target.", nameof(entry));
    }

    private static MabException Duplicate(string path, string why) =>
        new(ErrorCode.LayerDuplicatePath, $"The layer cannot hold {path}: {why}. Give each file, directory and symlink its own path.");
}
