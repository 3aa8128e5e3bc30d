using Microsoft.Build.Framework;

namespace MultiArch.Build.Tasks;

/// <summary>
/// The preflight before any platform is built: checks that every platform's base image exists and has that
/// platform, and pins each registry base to the digest it has now (metadata BaseImageDigest on the output items).
/// </summary>
public sealed partial class ResolveContainerBaseImages : ContractTask
{
    /// <summary>One item per platform (Include = OCI platform), metadata RuntimeIdentifier and BaseImage.</summary>
    [Required]
    public ITaskItem[] Platforms { get; set; } = [];

    public string? InsecureRegistries { get; set; }

    /// <summary>The registry the build pushes to (ContainerRegistry): a base in it may use the push registry's credentials.</summary>
    public string? Registry { get; set; }

    /// <summary>The same items, with metadata BaseImageDigest for registry bases.</summary>
    [Output]
    public ITaskItem[] ResolvedPlatforms { get; private set; } = [];
}
