namespace MultiArch.Build.Diagnostics;

public static partial class ErrorCode
{
    /// <summary>CreateContainerIndex was given no ContainerIndexSources.</summary>
    public const string IndexNoSources = "MAB4001";
    /// <summary>A ContainerIndexSources entry is neither an image reference nor a digest.</summary>
    public const string IndexSourceInvalid = "MAB4002";
    /// <summary>A source of the index does not exist in its registry.</summary>
    public const string IndexSourceNotFound = "MAB4003";
    /// <summary>A source manifest's config names no os and architecture.</summary>
    public const string IndexSourceHasNoPlatform = "MAB4006";
    /// <summary>CreateContainerIndex needs ContainerRegistry (indexes are made in a registry).</summary>
    public const string IndexNeedsRegistry = "MAB4007";
    /// <summary>Retired, never reused: a nested index or a non-image in a source is MAB1306, as everywhere images are read.</summary>
    public const string IndexSourceUnsupported = "MAB4008";

    /// <summary>ContainerSemVerTags is on but Version is not a semantic version.</summary>
    public const string InvalidSemVerVersion = "MAB4010";
    /// <summary>A tag made from the version is not a valid image tag.</summary>
    public const string InvalidSemVerTag = "MAB4011";

    /// <summary>The image to inspect does not exist.</summary>
    public const string InspectImageNotFound = "MAB4020";
    /// <summary>InspectContainerImage was not given an image reference.</summary>
    public const string InspectNoImage = "MAB4021";
    /// <summary>The image to copy does not exist in its registry or layout.</summary>
    public const string CopySourceNotFound = "MAB4022";
    /// <summary>A copy destination is not <c>registry/repository[:tag]</c>, <c>oci:path[:ref]</c> or <c>oci-archive:path[:ref]</c>.</summary>
    public const string CopyDestinationInvalid = "MAB4023";
}
