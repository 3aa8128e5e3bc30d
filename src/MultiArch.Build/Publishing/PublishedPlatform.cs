using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;

namespace MultiArch.Build.Publishing;

/// <summary>
/// One platform's publish output: what to build, on which base, from which files. <see cref="BaseImageDigest"/>
/// is the digest the preflight pinned a registry base to, when it ran; the base is read at that digest.
/// </summary>
public sealed record PublishedPlatform(PlatformTarget Target, string BaseImage, string PublishDirectory, IReadOnlyList<PublishedFile> Files)
{
    public Digest? BaseImageDigest { get; init; }

    /// <summary>The restore output of this platform's publish (its own obj/multiarch/&lt;rid&gt;/project.assets.json), which an SBOM is made from.</summary>
    public string? ProjectAssetsFile { get; init; }

    /// <summary>The TargetFramework the platform was published for (<c>net10.0</c>), which picks the restore graph.</summary>
    public string? TargetFramework { get; init; }
}

/// <summary>
/// A file the publish wrote, with what the SDK knows of where it came from: the NuGet package and asset
/// type it was resolved from, and whether that package is a runtime pack (the .NET runtime of a
/// self-contained app, Microsoft.NETCore.App.Runtime.&lt;rid&gt; and its siblings).
/// </summary>
public sealed record PublishedFile(string SourcePath, string RelativePath, string? NuGetPackageId = null, string? AssetType = null, bool IsRuntimePackAsset = false);
