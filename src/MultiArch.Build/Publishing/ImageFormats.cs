using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Publishing;

/// <summary>ContainerImageFormat: OCI, Docker, or empty to follow the base image.</summary>
public static class ImageFormats
{
    public static ImageFormat? Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "OCI" => ImageFormat.Oci,
        "DOCKER" => ImageFormat.Docker,
        _ => throw new MabException(ErrorCode.InvalidImageFormat, $"ContainerImageFormat is '{value}'. Use OCI or Docker, or leave it empty to follow the base image."),
    };
}
