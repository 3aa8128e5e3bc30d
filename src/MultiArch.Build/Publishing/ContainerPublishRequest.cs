using MultiArch.Build.Images;
using MultiArch.Build.Layers;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Publishing;

/// <summary>Everything a multi-platform publish needs, as plain data (the MSBuild task fills it from items and properties).</summary>
public sealed record ContainerPublishRequest
{
    public required IReadOnlyList<PublishedPlatform> Platforms { get; init; }
    public required ImageDestinationSpec Destination { get; init; }
    public required string BlobCacheDirectory { get; init; }

    /// <summary>How the publish output is cut into layers; split by default.</summary>
    public LayerStrategy LayerStrategy { get; init; } = LayerStrategy.Split;

    /// <summary>How new layers are compressed; gzip by default, zstd for OCI images only.</summary>
    public LayerCompression LayerCompression { get; init; } = LayerCompression.Gzip;

    /// <summary>Where the layer cache keeps its entries; null writes every layer afresh.</summary>
    public string? LayerCacheDirectory { get; init; }
    public string WorkingDirectory { get; init; } = "/app/";
    public string? User { get; init; }
    public ExecutionArgs Execution { get; init; } = new();

    /// <summary>Env, ports, labels, annotations and stop signal shared by every platform; entrypoint, user and workdir are set per platform.</summary>
    public ImageConfigEdits Edits { get; init; } = new();

    /// <summary>Forces OCI or Docker media types; null follows the base image.</summary>
    public ImageFormat? Format { get; init; }

    public IReadOnlyDictionary<string, string> IndexAnnotations { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Generated org.opencontainers.image.* annotations, with base.name/base.digest added per manifest (and on the
    /// index when all platforms share a base). Written on OCI documents only: Docker's schemas have no annotations.
    /// </summary>
    public IReadOnlyDictionary<string, string> GeneratedAnnotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Adds org.opencontainers.image.base.name/base.digest labels to each config.</summary>
    public bool LabelBase { get; init; }

    /// <summary>Makes an SPDX SBOM per platform image and stores it so; null makes none (the images are the same either way).</summary>
    public Sbom.SbomStorage? Sbom { get; init; }
}
