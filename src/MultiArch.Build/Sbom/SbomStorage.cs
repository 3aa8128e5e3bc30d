using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Sbom;

/// <summary>Where an image's SBOM goes (ContainerSbomStorage).</summary>
public enum SbomStorage
{
    /// <summary>An OCI 1.1 referrer of each platform manifest; the index and its digest stay as without an SBOM (the default).</summary>
    Referrers,

    /// <summary>BuildKit's attestation manifests, appended to the index (Docker Scout and BuildKit-aware tools read these).</summary>
    Index,
}

public static class SbomStorages
{
    /// <summary>Reads ContainerSbomStorage: empty is <see cref="SbomStorage.Referrers"/>; the names compare without case.</summary>
    public static SbomStorage Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "referrers" or "referrer" => SbomStorage.Referrers,
        "index" => SbomStorage.Index,
        _ => throw new MabException(ErrorCode.InvalidSbomStorage,
            $"ContainerSbomStorage '{value}' is not known. Use 'referrers' (the default: an OCI 1.1 referrer per platform image, the index unchanged) or 'index' (BuildKit's attestation entries in the index)."),
    };

    /// <summary>
    /// The index form needs an OCI index to append to: Docker manifest lists cannot list attestations (BuildKit writes them only
    /// with OCI media types), and a push by digest writes no index at all.
    /// </summary>
    public static void EnsureExpressible(SbomStorage storage, Oci.ImageFormat? format, bool pushByDigest)
    {
        if (storage != SbomStorage.Index) return;
        if (format == Oci.ImageFormat.Docker)
            throw new MabException(ErrorCode.SbomIndexNeedsOci,
                "ContainerSbomStorage=index appends attestation manifests to an OCI image index, and this image is in Docker format, whose manifest lists cannot hold them. Use ContainerImageFormat=OCI, or keep the default ContainerSbomStorage=referrers, which works for Docker-format images too.");
        if (pushByDigest)
            throw new MabException(ErrorCode.SbomIndexNeedsIndex,
                "ContainerSbomStorage=index appends the SBOMs to the image index, and ContainerPushByDigest writes no index. Keep the default ContainerSbomStorage=referrers, which attaches each SBOM to its platform image and travels with it into a merged index.");
    }
}
