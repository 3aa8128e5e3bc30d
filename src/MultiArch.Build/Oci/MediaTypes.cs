namespace MultiArch.Build.Oci;

/// <summary>The OCI and Docker v2 schema 2 media types, and which family each belongs to.</summary>
public static class MediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayerTar = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string OciLayerNondistributableGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public const string OciLayerNondistributableTar = "application/vnd.oci.image.layer.nondistributable.v1.tar";

    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerLayerTar = "application/vnd.docker.image.rootfs.diff.tar";
    public const string DockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    /// <summary>What a registry is asked for when resolving a reference: any manifest or index.</summary>
    public static readonly IReadOnlyList<string> AcceptManifests = [OciIndex, DockerManifestList, OciManifest, DockerManifest];

    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    public static bool IsManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;

    public static bool IsDocker(string? mediaType) => mediaType is not null && mediaType.StartsWith("application/vnd.docker.", StringComparison.Ordinal);

    public static ImageFormat FamilyOf(string mediaType) => IsDocker(mediaType) ? ImageFormat.Docker : ImageFormat.Oci;

    public static string ManifestFor(ImageFormat format) => format == ImageFormat.Docker ? DockerManifest : OciManifest;

    public static string IndexFor(ImageFormat format) => format == ImageFormat.Docker ? DockerManifestList : OciIndex;

    public static string ConfigFor(ImageFormat format) => format == ImageFormat.Docker ? DockerConfig : OciConfig;

}

/// <summary>The two media-type families an image can be written in.</summary>
public enum ImageFormat
{
    Oci,
    Docker,
}
