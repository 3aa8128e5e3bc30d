using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Layers;

/// <summary>How a layer's tar is compressed (ContainerLayerCompression).</summary>
public enum LayerCompression
{
    /// <summary>tar+gzip: what every registry, runtime and tool reads, in OCI and Docker images alike. The default.</summary>
    Gzip,

    /// <summary>tar+zstd: smaller and much faster to decompress, but OCI images only, and only newer runtimes read it.</summary>
    Zstd,

    /// <summary>The plain tar, digest equal to diff_id.</summary>
    None,
}

public static class LayerCompressions
{
    /// <summary>Reads ContainerLayerCompression; empty means <see cref="LayerCompression.Gzip"/>.</summary>
    public static LayerCompression Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "GZIP" => LayerCompression.Gzip,
        "ZSTD" => LayerCompression.Zstd,
        _ => throw new MabException(ErrorCode.InvalidLayerCompression,
            $"ContainerLayerCompression is '{value}'. Use gzip (the default, read everywhere) or zstd (OCI images only; containerd 1.5 and later and podman read it, older Docker engines do not)."),
    };

    /// <summary>The OCI layer media type a layer written with <paramref name="compression"/> has.</summary>
    public static string MediaTypeOf(LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => MediaTypes.OciLayerGzip,
        LayerCompression.Zstd => MediaTypes.OciLayerZstd,
        LayerCompression.None => MediaTypes.OciLayerTar,
        _ => throw new MabException(ErrorCode.LayerUnsupportedMediaType,
            $"Layers cannot be written with compression {(int)compression}. Use gzip or zstd."),
    };

    /// <summary>
    /// Refuses a compression whose layers an image of <paramref name="format"/> cannot carry, by the same rule
    /// that converts layer media types between formats (<see cref="LayerMediaTypes"/>). Only zstd is refused, and
    /// only in Docker images: a Docker v2 manifest has no zstd layer type. Call it once the image format is known,
    /// before any layer is written, so the error says what to set rather than naming a media type.
    /// </summary>
    public static void EnsureSupportedBy(LayerCompression compression, ImageFormat format)
    {
        if (!LayerMediaTypes.TryConvertTo(MediaTypeOf(compression), format, out _))
            throw new MabException(ErrorCode.LayerCompressionNeedsOci,
                "ContainerLayerCompression=zstd writes " + MediaTypes.OciLayerZstd + " layers, which a Docker image manifest cannot hold. " +
                "Set ContainerImageFormat=OCI (without it, the image takes the base image's format, and this base is a Docker image), or use gzip.");
    }
}
