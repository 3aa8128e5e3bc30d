using Microsoft.Build.Framework;

namespace MultiArch.Build.Tasks;

/// <summary>Prints what a registry holds for an image: the index digest and media type, and each platform's manifest digest, size and layer count (or the raw JSON).</summary>
public sealed partial class InspectContainerImage : ContractTask
{
    /// <summary>ContainerImage: a full reference, registry/repository[:tag][@digest].</summary>
    public string? Image { get; set; }
    /// <summary>Prints the document exactly as the registry served it instead of the table.</summary>
    public bool Raw { get; set; }
    public string? InsecureRegistries { get; set; }

    [Output]
    public string? Digest { get; private set; }

    [Output]
    public string? MediaType { get; private set; }
}
