using Microsoft.Build.Framework;

namespace MultiArch.Build.Tasks;

/// <summary>
/// Merges images already in registries into one index and tags it (the final step of a CI fan-out
/// where each architecture was pushed by digest on its own runner). Publishes nothing.
/// </summary>
public sealed partial class CreateContainerIndex : ContractTask
{
    /// <summary>ContainerIndexSources: references or bare digests, separated by ';', ',' or white space.</summary>
    public string? Sources { get; set; }
    public string? Registry { get; set; }
    [Required]
    public string Repository { get; set; } = "";
    public string? ImageTags { get; set; }
    /// <summary>Adds or replaces platforms in the index the first tag names, keeping its other platforms.</summary>
    public bool Append { get; set; }
    public string? InsecureRegistries { get; set; }
    /// <summary>ContainerAnnotation items (Include = key, metadata Value), set on the index.</summary>
    public ITaskItem[] Annotations { get; set; } = [];
    /// <summary>Generated org.opencontainers.image.* values (Include = key, metadata Value).</summary>
    public ITaskItem[] GeneratedAnnotations { get; set; } = [];
    public bool GenerateAnnotations { get; set; }

    [Output]
    public string? IndexDigest { get; private set; }

    /// <summary>One item per entry of the index: Include = digest, metadata Platform, MediaType, Size, Attestation.</summary>
    [Output]
    public ITaskItem[] Manifests { get; private set; } = [];
}
