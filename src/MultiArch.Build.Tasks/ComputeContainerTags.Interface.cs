using Microsoft.Build.Framework;

namespace MultiArch.Build.Tasks;

/// <summary>ContainerImageTags followed by the tags the project's Version expands to (ContainerSemVerTags).</summary>
public sealed partial class ComputeContainerTags : ContractTask
{
    public string? ImageTags { get; set; }
    public string? Version { get; set; }

    /// <summary>One item per tag, in order, duplicates removed.</summary>
    [Output]
    public ITaskItem[] Tags { get; private set; } = [];
}
