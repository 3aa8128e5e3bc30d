namespace MultiArch.Build.Diagnostics;

public static partial class ErrorCode
{
    /// <summary>A container port is not <c>number[/tcp|udp|sctp]</c> with a number from 1 to 65535.</summary>
    public const string InvalidPort = "MAB1301";
    /// <summary>An environment variable name is empty or contains '='.</summary>
    public const string InvalidEnvironmentVariable = "MAB1302";
    /// <summary>The base manifest lists a different number of layers than its config has diff_ids.</summary>
    public const string BaseLayerCountMismatch = "MAB1303";
    /// <summary>A layer's media type has no equivalent in the image format being written.</summary>
    public const string LayerMediaTypeNotConvertible = "MAB1304";
    /// <summary>A new layer is missing its diff_id or its blob descriptor.</summary>
    public const string InvalidNewLayer = "MAB1305";
    /// <summary>An index lists another index, or something that is not an image, where an image manifest is needed (nested indexes are not read).</summary>
    public const string BaseNotAManifest = "MAB1306";
    /// <summary>An index (published, merged or appended to) would mix OCI and Docker images.</summary>
    public const string MixedIndexFormats = "MAB1307";
    /// <summary>Two different images of an index (published, merged or appended to) have the same platform.</summary>
    public const string DuplicateIndexPlatform = "MAB1308";
    /// <summary>An index child carries no platform, or an index has no children.</summary>
    public const string InvalidIndexChild = "MAB1309";
    /// <summary>A label or annotation key is empty.</summary>
    public const string InvalidLabel = "MAB1310";
    /// <summary>An index (a base, an index source, an image inspected) lists a manifest its registry or layout does not hold.</summary>
    public const string ImageIncomplete = "MAB1311";

    /// <summary>ContainerSbomStorage is neither referrers nor index.</summary>
    public const string InvalidSbomStorage = "MAB1320";
    /// <summary>ContainerSbomStorage=index with a Docker-format image, whose manifest list cannot hold attestations.</summary>
    public const string SbomIndexNeedsOci = "MAB1321";
    /// <summary>ContainerSbomStorage=index with ContainerPushByDigest, which writes no index.</summary>
    public const string SbomIndexNeedsIndex = "MAB1322";
    /// <summary>The SBOM's inputs (a platform's project.assets.json or deps.json) are missing or unreadable.</summary>
    public const string SbomInputUnreadable = "MAB1323";
}
