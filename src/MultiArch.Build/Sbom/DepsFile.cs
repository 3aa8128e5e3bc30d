using System.Text.Json;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Sbom;

/// <summary>
/// The libraries a publish's <c>&lt;app&gt;.deps.json</c> lists: what the host loads, so what the image ships. Each is a
/// <c>package</c>, a <c>project</c> (the app and its project references) or a <c>runtimepack</c> (the runtime of a
/// self-contained app, written <c>runtimepack.&lt;pack id&gt;/&lt;version&gt;</c>).
/// </summary>
public static class DepsFile
{
    public const string RuntimePackPrefix = "runtimepack.";

    public static IReadOnlyList<DepsLibrary> Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("libraries", out var libraries) || libraries.ValueKind != JsonValueKind.Object)
                throw ProjectAssets.Unreadable(path, "it has no \"libraries\" object", null);
            var result = new List<DepsLibrary>();
            foreach (var library in libraries.EnumerateObject())
            {
                var (name, version) = ProjectAssets.SplitKey(library.Name);
                string type = library.Value.ValueKind == JsonValueKind.Object && library.Value.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                    ? t.GetString()!
                    : "package";
                if (type == "runtimepack" && name.StartsWith(RuntimePackPrefix, StringComparison.Ordinal)) name = name[RuntimePackPrefix.Length..];
                result.Add(new DepsLibrary(name, version, type));
            }
            return result;
        }
        catch (Exception ex) when (ex is JsonException || FileSystemFailure.Is(ex))
        {
            throw ProjectAssets.Unreadable(path, ex.Message, ex);
        }
    }
}

/// <summary>One library of a deps.json: its name (a runtime pack's without the <c>runtimepack.</c> prefix), version and type.</summary>
public sealed record DepsLibrary(string Name, string Version, string Type)
{
    public bool IsPackage => Type == "package";
    public bool IsProject => Type == "project";
    public bool IsRuntimePack => Type == "runtimepack";
}
