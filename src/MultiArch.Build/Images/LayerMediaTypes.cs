using System.Diagnostics.CodeAnalysis;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Images;

/// <summary>
/// Maps layer media types between the OCI and Docker families. A manifest must not mix families, so
/// writing a Docker base as OCI (or the other way round) renames every layer to its equivalent.
/// </summary>
internal static class LayerMediaTypes
{
    private static readonly (string Oci, string Docker)[] Pairs =
    [
        (MediaTypes.OciLayerGzip, MediaTypes.DockerLayerGzip),
        (MediaTypes.OciLayerTar, MediaTypes.DockerLayerTar),
        (MediaTypes.OciLayerNondistributableGzip, MediaTypes.DockerForeignLayerGzip),
    ];

    public static string ConvertTo(string mediaType, ImageFormat format) =>
        TryConvertTo(mediaType, format, out string? converted)
            ? converted
            : throw new MabException(ErrorCode.LayerMediaTypeNotConvertible,
                $"A layer of media type '{mediaType}' cannot be written in a {format} image: that format has no equivalent. " +
                $"Choose the other image format (ContainerImageFormat), or use a base image whose layers are gzip-compressed.");

    /// <summary>The media type a layer of <paramref name="mediaType"/> has in an image of <paramref name="format"/>; false when that format has none.</summary>
    public static bool TryConvertTo(string mediaType, ImageFormat format, [NotNullWhen(true)] out string? converted)
    {
        if (MediaTypes.FamilyOf(mediaType) == format && IsKnown(mediaType))
        {
            converted = mediaType;
            return true;
        }
        foreach (var (oci, docker) in Pairs)
        {
            if (mediaType != oci && mediaType != docker) continue;
            converted = format == ImageFormat.Docker ? docker : oci;
            return true;
        }
        converted = null;
        return false;
    }

    private static bool IsKnown(string mediaType) =>
        mediaType is MediaTypes.OciLayerZstd or MediaTypes.OciLayerNondistributableTar
        || Pairs.Any(p => p.Oci == mediaType || p.Docker == mediaType);
}
