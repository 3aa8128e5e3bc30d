namespace MultiArch.Build.Sbom;

/// <summary>What a component of the image is to the SBOM.</summary>
public enum SbomPackageKind
{
    /// <summary>The app that was published.</summary>
    Application,
    /// <summary>A project the app references, built with it.</summary>
    Project,
    /// <summary>A NuGet package whose assets the publish ships.</summary>
    Package,
    /// <summary>A runtime pack: the .NET runtime a self-contained app carries.</summary>
    RuntimePack,
}

/// <summary>
/// One component the publish ships: its name (a NuGet id for packages and packs), version, what it is, the SHA-512 of
/// its .nupkg as lowercase hex (NuGet's own hash; packages and packs only) and the names of what it depends on.
/// </summary>
public sealed record SbomPackage(string Name, string Version, SbomPackageKind Kind, string? Sha512, IReadOnlyList<string> DependsOn)
{
    public bool IsNuGet => Kind is SbomPackageKind.Package or SbomPackageKind.RuntimePack;
}
