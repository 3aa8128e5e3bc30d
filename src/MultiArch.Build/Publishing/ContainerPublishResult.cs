using MultiArch.Build.Oci;

namespace MultiArch.Build.Publishing;

/// <summary>What a publish produced: the index, each platform's manifest, what was written where, and bytes moved.</summary>
public sealed record ContainerPublishResult(
    Descriptor? Index,
    IReadOnlyList<PlatformImageResult> Images,
    IReadOnlyList<string> References,
    long BytesUploaded,
    long BytesSkipped);

/// <summary>One platform's image: its platform as the index lists it, its manifest, and its SBOM when one was made.</summary>
public sealed record PlatformImageResult(string Platform, string RuntimeIdentifier, Descriptor Manifest, string BaseImage, int LayerCount, long CompressedSize,
    Sbom.SbomWritten? Sbom = null);
