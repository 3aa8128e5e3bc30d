using Microsoft.Build.Framework;

namespace MultiArch.Build.Tasks;

/// <summary>ContainerImageTags with, when SemVerTags is on, the tags the project's Version expands to.</summary>
public sealed partial class ComputeContainerTags
{
    public string? ImageTags { get; set; }
    public string? Version { get; set; }
    public bool SemVerTags { get; set; }

    /// <summary>One item per tag, in order, duplicates removed.</summary>
    [Output]
    public ITaskItem[] Tags { get; private set; } = [];
}
