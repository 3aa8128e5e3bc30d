using MultiArch.Build.Diagnostics;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Sbom;

/// <summary>
/// What one platform's publish ships, from NuGet's own data: the libraries of the publish's deps.json (what the host
/// loads), each matched in the restore graph for the platform's RuntimeIdentifier for its SHA-512 and dependencies.
/// A publish with no deps.json in its folder (single-file, Native AOT) is read from the packages the published files
/// came from instead.
/// </summary>
public sealed record SbomInventory(SbomPackage Application, IReadOnlyList<SbomPackage> Components)
{
    /// <param name="assemblyName">The app's AssemblyName: its deps.json is <c>&lt;AssemblyName&gt;.deps.json</c>.</param>
    public static SbomInventory Of(PublishedPlatform platform, string assemblyName)
    {
        string rid = platform.Target.RuntimeIdentifier;
        if (string.IsNullOrWhiteSpace(platform.ProjectAssetsFile))
            throw new MabException(ErrorCode.SbomInputUnreadable,
                $"The publish for {rid} reported no project.assets.json, which the SBOM is made from. Publish through the package's targets, which pass each platform's restore output (ProjectAssetsFile).");
        var assets = ProjectAssets.Read(platform.ProjectAssetsFile, rid, platform.TargetFramework);
        var deps = DepsFileOf(platform, assemblyName);
        return deps is null ? FromFiles(platform, assets, assemblyName) : FromDeps(DepsFile.Read(deps.SourcePath), assets, assemblyName);
    }

    private static PublishedFile? DepsFileOf(PublishedPlatform platform, string assemblyName)
    {
        var atRoot = platform.Files.Where(f => f.RelativePath.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase)
            && !f.RelativePath.Contains('/') && !f.RelativePath.Contains('\\')).ToList();
        return atRoot.FirstOrDefault(f => string.Equals(f.RelativePath, assemblyName + ".deps.json", StringComparison.OrdinalIgnoreCase))
            ?? (atRoot.Count == 1 ? atRoot[0] : null);
    }

    private static SbomInventory FromDeps(IReadOnlyList<DepsLibrary> deps, ProjectAssets assets, string assemblyName)
    {
        var app = deps.FirstOrDefault(d => d.IsProject && string.Equals(d.Name, assemblyName, StringComparison.OrdinalIgnoreCase))
            ?? deps.FirstOrDefault(d => d.IsProject);
        var components = new List<SbomPackage>();
        foreach (var library in deps.Where(d => d != app))
        {
            if (library.IsRuntimePack)
                components.Add(new(library.Name, library.Version, SbomPackageKind.RuntimePack, PackHash(assets, library.Name, library.Version), []));
            else if (library.IsProject)
                components.Add(new(library.Name, library.Version, SbomPackageKind.Project, null, DependenciesOf(assets, library.Name, library.Version)));
            else if (library.IsPackage)
                components.Add(new(library.Name, library.Version, SbomPackageKind.Package, HashOf(assets, library.Name, library.Version), DependenciesOf(assets, library.Name, library.Version)));
        }
        return Assemble(assets, app?.Name ?? assemblyName, app?.Version ?? assets.ProjectVersion ?? "", components);
    }

    private static SbomInventory FromFiles(PublishedPlatform platform, ProjectAssets assets, string assemblyName)
    {
        var components = new List<SbomPackage>();
        var fromFiles = platform.Files.Where(f => f.NuGetPackageId is not null).GroupBy(f => f.NuGetPackageId!, StringComparer.OrdinalIgnoreCase);
        foreach (var package in fromFiles)
        {
            if (package.Any(f => f.IsRuntimePackAsset))
            {
                if (assets.Downloads.TryGetValue(package.Key, out var version))
                    components.Add(new(package.Key, version, SbomPackageKind.RuntimePack, PackHash(assets, package.Key, version), []));
            }
            else if (assets.Libraries.TryGetValue(package.Key, out var library) && library.Type == "package")
            {
                components.Add(new(library.Id, library.Version, SbomPackageKind.Package, Hex(library.Sha512), library.Dependencies));
            }
        }
        foreach (var project in assets.Libraries.Values.Where(l => l.Type == "project"))
            components.Add(new(project.Id, project.Version, SbomPackageKind.Project, null, project.Dependencies));
        return Assemble(assets, assets.ProjectName ?? assemblyName, assets.ProjectVersion ?? "", components);
    }

    /// <summary>The app depends on what the project references and on the runtime packs it carries; every edge ends at something shipped.</summary>
    private static SbomInventory Assemble(ProjectAssets assets, string name, string version, List<SbomPackage> components)
    {
        var shipped = new HashSet<string>(components.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
        var trimmed = components.Select(c => c with { DependsOn = Shipped(c.DependsOn, shipped) }).ToList();
        var appDependsOn = assets.DirectDependencies.Concat(components.Where(c => c.Kind == SbomPackageKind.RuntimePack).Select(c => c.Name));
        var app = new SbomPackage(name, version, SbomPackageKind.Application, null, Shipped(appDependsOn, shipped));
        return new SbomInventory(app, trimmed);
    }

    private static IReadOnlyList<string> Shipped(IEnumerable<string> names, HashSet<string> shipped) =>
        names.Where(shipped.Contains).Select(n => shipped.TryGetValue(n, out var actual) ? actual : n).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static IReadOnlyList<string> DependenciesOf(ProjectAssets assets, string id, string version) =>
        assets.Libraries.TryGetValue(id, out var library) && VersionsMatch(library.Version, version) ? library.Dependencies : [];

    private static string? HashOf(ProjectAssets assets, string id, string version) =>
        assets.Libraries.TryGetValue(id, out var library) && VersionsMatch(library.Version, version) ? Hex(library.Sha512) : null;

    private static bool VersionsMatch(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>A pack's hash as restore left it beside the package: <c>&lt;folder&gt;/&lt;id&gt;/&lt;version&gt;/&lt;id&gt;.&lt;version&gt;.nupkg.sha512</c>.</summary>
    private static string? PackHash(ProjectAssets assets, string id, string version)
    {
        string lowerId = id.ToLowerInvariant(), lowerVersion = version.ToLowerInvariant();
        foreach (string folder in assets.PackageFolders)
        {
            string path = Path.Combine(folder, lowerId, lowerVersion, $"{lowerId}.{lowerVersion}.nupkg.sha512");
            if (File.Exists(path)) return Hex(File.ReadAllText(path).Trim());
        }
        return null;
    }

    /// <summary>NuGet writes SHA-512 in base64; SPDX wants lowercase hex.</summary>
    private static string? Hex(string? base64)
    {
        if (string.IsNullOrEmpty(base64)) return null;
        try
        {
            return Convert.ToHexString(Convert.FromBase64String(base64)).ToLowerInvariant();
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
