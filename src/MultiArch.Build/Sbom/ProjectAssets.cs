using System.Text.Json;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Sbom;

/// <summary>
/// What NuGet's restore wrote in <c>project.assets.json</c> for one target framework and RuntimeIdentifier: every
/// library of the <c>targets["&lt;tfm&gt;/&lt;rid&gt;"]</c> graph with the dependencies it names, each package's SHA-512,
/// the project's direct dependencies and the package folders. Only what an SBOM needs is read.
/// </summary>
public sealed class ProjectAssets
{
    private ProjectAssets(IReadOnlyDictionary<string, AssetsLibrary> libraries,
        IReadOnlyList<string> directDependencies, IReadOnlyList<string> packageFolders, string? projectName, string? projectVersion,
        IReadOnlyDictionary<string, string> downloads)
    {
        Downloads = downloads;
        Libraries = libraries;
        DirectDependencies = directDependencies;
        PackageFolders = packageFolders;
        ProjectName = projectName;
        ProjectVersion = projectVersion;
    }

    /// <summary>The graph's libraries by id (NuGet ids compare without case).</summary>
    public IReadOnlyDictionary<string, AssetsLibrary> Libraries { get; }

    /// <summary>The ids the project itself references (packages and projects), from <c>projectFileDependencyGroups</c>.</summary>
    public IReadOnlyList<string> DirectDependencies { get; }

    /// <summary>Where restored packages live (the global packages folder first), for the hashes of packs the graph does not list.</summary>
    public IReadOnlyList<string> PackageFolders { get; }

    /// <summary>The packs restore downloads outside the graph (runtime packs of a self-contained app), by id, at their exact version.</summary>
    public IReadOnlyDictionary<string, string> Downloads { get; }

    public string? ProjectName { get; }
    public string? ProjectVersion { get; }

    /// <param name="targetFramework">The TargetFramework the publish ran for (<c>net10.0</c>); it picks the graph when the file holds several.</param>
    public static ProjectAssets Read(string path, string runtimeIdentifier, string? targetFramework)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is JsonException || FileSystemFailure.Is(ex))
        {
            throw Unreadable(path, ex.Message, ex);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("targets", out var targets) || targets.ValueKind != JsonValueKind.Object)
                throw Unreadable(path, "it has no \"targets\" object", null);
            string key = TargetKeyOf(path, targets, runtimeIdentifier, targetFramework);
            var hashes = Hashes(root);
            var libraries = new Dictionary<string, AssetsLibrary>(StringComparer.OrdinalIgnoreCase);
            foreach (var library in targets.GetProperty(key).EnumerateObject())
            {
                var (id, version) = SplitKey(library.Name);
                string type = String(library.Value, "type") ?? "package";
                var dependencies = library.Value.TryGetProperty("dependencies", out var deps) && deps.ValueKind == JsonValueKind.Object
                    ? deps.EnumerateObject().Select(d => d.Name).ToList()
                    : [];
                libraries[id] = new AssetsLibrary(id, version, type, dependencies, hashes.GetValueOrDefault(library.Name));
            }
            var project = root.TryGetProperty("project", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            string? projectName = project.ValueKind == JsonValueKind.Object && project.TryGetProperty("restore", out var restore) && restore.ValueKind == JsonValueKind.Object
                ? String(restore, "projectName")
                : null;
            string? projectVersion = project.ValueKind == JsonValueKind.Object ? String(project, "version") : null;
            return new ProjectAssets(libraries, DirectDependenciesOf(root, key), PackageFoldersOf(root), projectName, projectVersion,
                DownloadsOf(project, key));
        }
    }

    /// <summary>
    /// The graph for the RuntimeIdentifier: <c>&lt;tfm&gt;/&lt;rid&gt;</c> (newer NuGet writes the TargetFramework alias, older
    /// the framework's full name, <c>.NETCoreApp,Version=v8.0/linux-x64</c>), or the only graph for that RuntimeIdentifier.
    /// </summary>
    private static string TargetKeyOf(string path, JsonElement targets, string runtimeIdentifier, string? targetFramework)
    {
        var keys = targets.EnumerateObject().Select(t => t.Name).ToList();
        if (targetFramework is not null && keys.Contains($"{targetFramework}/{runtimeIdentifier}")) return $"{targetFramework}/{runtimeIdentifier}";
        var forRid = keys.Where(k => k.EndsWith("/" + runtimeIdentifier, StringComparison.Ordinal)).ToList();
        if (forRid.Count == 1) return forRid[0];
        throw new MabException(ErrorCode.SbomInputUnreadable,
            $"'{path}' has {(forRid.Count == 0 ? "no" : "several")} restore graphs for RuntimeIdentifier {runtimeIdentifier} (it has: {string.Join(", ", keys)}), so the SBOM cannot tell which packages the publish used. Restore and publish the app for {runtimeIdentifier} again.");
    }

    private static Dictionary<string, string> Hashes(JsonElement root)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!root.TryGetProperty("libraries", out var libraries) || libraries.ValueKind != JsonValueKind.Object) return result;
        foreach (var library in libraries.EnumerateObject())
        {
            if (library.Value.ValueKind == JsonValueKind.Object && String(library.Value, "sha512") is { Length: > 0 } hash)
                result[library.Name] = hash;
        }
        return result;
    }

    private static IReadOnlyList<string> DirectDependenciesOf(JsonElement root, string targetKey)
    {
        if (!root.TryGetProperty("projectFileDependencyGroups", out var groups) || groups.ValueKind != JsonValueKind.Object) return [];
        string framework = targetKey[..targetKey.LastIndexOf('/')];
        var group = groups.EnumerateObject().FirstOrDefault(g => g.Name == framework);
        if (group.Value.ValueKind != JsonValueKind.Array) return [];
        // Each entry is "<id> >= <version>" (or just the id).
        return group.Value.EnumerateArray().Select(e => e.GetString() ?? "").Select(e => e.Split(' ', 2)[0]).Where(e => e.Length > 0).ToList();
    }

    /// <summary><c>project.frameworks[tfm].downloadDependencies</c>: each <c>{ name, version: "[v, v]" }</c>.</summary>
    private static IReadOnlyDictionary<string, string> DownloadsOf(JsonElement project, string targetKey)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string framework = targetKey[..targetKey.LastIndexOf('/')];
        if (project.ValueKind != JsonValueKind.Object || !project.TryGetProperty("frameworks", out var frameworks) || frameworks.ValueKind != JsonValueKind.Object
            || !frameworks.TryGetProperty(framework, out var entry) || entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty("downloadDependencies", out var downloads) || downloads.ValueKind != JsonValueKind.Array)
            return result;
        foreach (var download in downloads.EnumerateArray())
        {
            if (download.ValueKind != JsonValueKind.Object || String(download, "name") is not { } name || String(download, "version") is not { } range) continue;
            string version = range.Trim('[', ']', ' ').Split(',')[0].Trim();
            if (version.Length > 0) result[name] = version;
        }
        return result;
    }

    private static IReadOnlyList<string> PackageFoldersOf(JsonElement root) =>
        root.TryGetProperty("packageFolders", out var folders) && folders.ValueKind == JsonValueKind.Object
            ? folders.EnumerateObject().Select(f => f.Name).ToList()
            : [];

    internal static (string Id, string Version) SplitKey(string key)
    {
        int slash = key.IndexOf('/');
        return slash < 0 ? (key, "") : (key[..slash], key[(slash + 1)..]);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static MabException Unreadable(string path, string why, Exception? inner) =>
        new(ErrorCode.SbomInputUnreadable,
            $"The SBOM needs '{path}', which cannot be read: {why}. Restore and publish the app again (ContainerGenerateSbom=true reads NuGet's restore output and the publish's deps.json).", inner);
}

/// <summary>One library of a restore graph: a package or a project, its resolved version, the ids it depends on and its SHA-512 (base64, packages only).</summary>
public sealed record AssetsLibrary(string Id, string Version, string Type, IReadOnlyList<string> Dependencies, string? Sha512);
