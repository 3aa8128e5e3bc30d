using Microsoft.Build.Framework;

namespace MultiArch.Build.Tasks;

/// <summary>
/// Turns ContainerPlatforms (RIDs and/or OCI platforms, separated by ';' or ',') and the per-platform
/// ContainerPlatform items into one item per platform: Include is the OCI platform, with metadata
/// RuntimeIdentifier and BaseImage.
/// </summary>
public sealed partial class ComputeContainerPlatforms : ContractTask
{
    [Required]
    public string Platforms { get; set; } = "";

    /// <summary>ContainerPlatform items: Include is a RID or platform listed in Platforms; metadata BaseImage.</summary>
    public ITaskItem[] PlatformOverrides { get; set; } = [];

    /// <summary>ContainerBaseImage: when set, every platform without an override uses it.</summary>
    public string? BaseImage { get; set; }

    /// <summary>Registry the inferred base images come from (ContainerBaseRegistry).</summary>
    public string? BaseRegistry { get; set; }

    public string? ContainerFamily { get; set; }

    [Required]
    public string TargetFrameworkVersion { get; set; } = "";

    public bool IsSelfContained { get; set; }

    public bool IsAspNet { get; set; }

    [Output]
    public ITaskItem[] PlatformTargets { get; private set; } = [];
}
