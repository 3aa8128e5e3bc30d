using MultiArch.Build.Blobs;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Images;

/// <summary>
/// The image a build starts from, for one platform: its manifest and that manifest's media type (an OCI
/// manifest may leave <c>mediaType</c> out, so it travels beside the model), its config, where its layer
/// blobs can be read, and the platform entry the base index listed it under (null for a single-image base).
/// </summary>
public sealed record BaseImage(ImageManifest Manifest, string ManifestMediaType, ImageConfig Config, IBlobSource LayerSource, Platform? Platform = null)
{
    /// <summary>Where the base came from (a registry); null when it is not known (scratch, a layout).</summary>
    public BaseImageOrigin? Origin { get; init; }
}
