using MultiArch.Build.Oci;

namespace MultiArch.Build.Images;

/// <summary>
/// One finished platform image, the form every destination (registry, layout, archive) takes:
/// the manifest's exact bytes, its descriptor (with the platform the index will list it under),
/// and every blob it references (config first, then layers in order).
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
}
