using MultiArch.Build.Oci;

namespace MultiArch.Build.Images;

/// <summary>
/// One image as a source holds it: the descriptor it is listed under (an index's entry as written, or one made from
/// the manifest), the manifest's document and model, its config, and the source its blobs are read from.
/// </summary>
public sealed record SourceImage(Descriptor Descriptor, ImageDocument Document, ImageManifest Manifest, ImageConfig Config, IImageSource Source)
{
    /// <summary>This image as a base to build on, under the platform <paramref name="platform"/> it was picked for.</summary>
    public BaseImage ToBase(Platform? platform, BaseImageOrigin? origin) =>
        new(Manifest, Document.MediaType, Config, Source.Blobs, platform?.Clone()) { Origin = origin };

    /// <summary>This image to be written elsewhere, unchanged: same manifest bytes, config and layers, listed under <paramref name="descriptor"/>'s platform.</summary>
    public ImageArtifact ToArtifact(Descriptor descriptor) => ImageArtifact.Stored(Manifest, Document.Bytes, descriptor.Platform, Source.Blobs);
}
