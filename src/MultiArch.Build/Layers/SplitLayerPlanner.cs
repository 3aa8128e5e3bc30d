using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Layers;

/// <summary>
/// Splits entries into up to four layers by <see cref="LayerCategory"/>: runtime, packages,
/// platform packages, app. An entry the classification does not name belongs to the app. Each
/// directory goes into every layer that holds something beneath it (with its own mode, so the layers
/// agree about it), and a directory with nothing beneath it goes into the app layer. Empty layers are
/// skipped.
/// </summary>
public sealed class SplitLayerPlanner(IReadOnlyDictionary<string, LayerCategory> categories) : ILayerPlanner
{
    public static string NameOf(LayerCategory category) => category switch
    {
        LayerCategory.Runtime => "runtime",
        LayerCategory.Packages => "packages",
        LayerCategory.PlatformPackages => "platform-packages",
        _ => "app",
    };

    public LayerPlan Plan(IReadOnlyList<LayerEntry> entries)
    {
        var directories = DirectoriesOf(entries);
        var layers = Enum.GetValues<LayerCategory>().ToDictionary(c => c, _ => new List<LayerEntry>());
        var placed = new HashSet<(LayerCategory, string)>();
        var placedAnywhere = new HashSet<string>(StringComparer.Ordinal);

        foreach (var entry in entries.Where(e => e.Kind != LayerEntryKind.Directory))
        {
            var category = categories.GetValueOrDefault(entry.ImagePath, LayerCategory.App);
            layers[category].Add(entry);
            AddParents(entry.ImagePath, category, directories, layers, placed);
        }
        foreach (var (_, path) in placed) placedAnywhere.Add(path);
        foreach (var (path, directory) in directories)
        {
            if (!placedAnywhere.Contains(path)) layers[LayerCategory.App].Add(directory);
        }
        // A layer other than the app's only gets directories along with a file, so an empty list is an empty layer.
        return new LayerPlan(layers.Where(l => l.Value.Count > 0)
            .OrderBy(l => l.Key)
            .Select(l => new PlannedLayer(NameOf(l.Key), Sorted(l.Value)))
            .ToList());
    }

    private static Dictionary<string, LayerEntry> DirectoriesOf(IReadOnlyList<LayerEntry> entries)
    {
        var directories = new Dictionary<string, LayerEntry>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e.Kind == LayerEntryKind.Directory))
        {
            if (!directories.TryAdd(entry.ImagePath.TrimEnd('/'), entry))
                throw new MabException(ErrorCode.LayerDuplicatePath, $"The directory {entry.ImagePath} is listed twice. Give each file, directory and symlink its own path.");
        }
        return directories;
    }

    private static void AddParents(string path, LayerCategory category, Dictionary<string, LayerEntry> directories,
        Dictionary<LayerCategory, List<LayerEntry>> layers, HashSet<(LayerCategory, string)> placed)
    {
        for (string? parent = ImagePath.Parent(path); parent is not null; parent = ImagePath.Parent(parent))
        {
            if (!directories.TryGetValue(parent, out var directory)) continue;
            if (!placed.Add((category, parent))) return; // its own parents are placed already
            layers[category].Add(directory);
        }
    }

    private static List<LayerEntry> Sorted(List<LayerEntry> entries)
    {
        entries.Sort((a, b) => string.CompareOrdinal(a.ImagePath, b.ImagePath));
        return entries;
    }
}
