using MultiArch.Build.Oci;

namespace MultiArch.Build.Images;

/// <summary>
/// One finished platform image, the form every destination (registry, layout, archive) takes:
/// the manifest's exact bytes, its descriptor (with the platform the index will list it under),
/// and every blob it references (config first, then layers in order). Its referrers (an SBOM) go with it: a
/// destination writes them after the image and before the index and tags.
/// </summary>
public sealed class ImageArtifact
{
    public ImageArtifact(ImageManifest manifest, byte[] manifestBytes, Platform? platform, IReadOnlyList<BlobContent> blobs)
    {
        Manifest = manifest;
        ManifestBytes = manifestBytes;
        Blobs = blobs;
        Descriptor = Descriptor.For(manifest.MediaType ?? MediaTypes.OciManifest, manifestBytes);
        Descriptor.Platform = platform?.Clone();
    }

    public ImageManifest Manifest { get; }
    public byte[] ManifestBytes { get; }
    public Descriptor Descriptor { get; }
    public IReadOnlyList<BlobContent> Blobs { get; }

    /// <summary>Artifacts whose manifest's <c>subject</c> is this image (OCI 1.1 referrers); they change neither this image nor an index listing it.</summary>
    public IReadOnlyList<ImageArtifact> Referrers { get; private init; } = [];

    /// <summary>An image as a source holds it, unchanged: its exact manifest bytes, and its config and layers read from <paramref name="blobs"/>.</summary>
    public static ImageArtifact Stored(ImageManifest manifest, byte[] manifestBytes, Platform? platform, Blobs.IBlobSource blobs) =>
        new(manifest, manifestBytes, platform, [.. new[] { manifest.Config }.Concat(manifest.Layers).Select(d => new BlobContent(d, blobs))]);

    /// <summary>The same image with <paramref name="referrers"/> to write beside it.</summary>
    public ImageArtifact WithReferrers(IReadOnlyList<ImageArtifact> referrers) =>
        new(Manifest, ManifestBytes, Descriptor.Platform, Blobs) { Referrers = [.. Referrers, .. referrers] };
}
