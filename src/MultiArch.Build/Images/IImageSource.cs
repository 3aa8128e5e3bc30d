using MultiArch.Build.Blobs;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Images;

/// <summary>
/// Somewhere images are read from, named by one reference: a registry repository with a tag or digest, or an
/// OCI image layout (a directory or an archive) with a ref name. Every reader of images (base images, index
/// sources, inspection) walks a source through <see cref="ImageSourceReader"/>, so a registry and a layout
/// give the same answers and the same errors.
/// </summary>
public interface IImageSource
{
    /// <summary>The reference as the user wrote it (<c>registry/repo:tag</c>, <c>oci:path:ref</c>), for messages and annotations.</summary>
    string Name { get; }

    /// <summary>
    /// The name for <c>org.opencontainers.image.base.name</c>: a reference anyone can pull. Null for a layout, whose
    /// path means nothing on another machine (and would make the digest depend on where the build ran).
    /// </summary>
    string? AnnotationName { get; }

    /// <summary>Where the layers and configs of this source's images are read from.</summary>
    IBlobSource Blobs { get; }

    /// <summary>The document the reference names, checked against its digest; null when the source does not have it.</summary>
    Task<ImageDocument?> TryGetTopAsync(CancellationToken cancellationToken);

    /// <summary>A manifest or index the source holds by digest (one an index lists), checked; null when it does not have it.</summary>
    Task<ImageDocument?> TryGetDocumentAsync(Descriptor descriptor, CancellationToken cancellationToken);

    /// <summary>A config blob's bytes, checked against its digest.</summary>
    Task<byte[]> GetConfigAsync(Descriptor descriptor, CancellationToken cancellationToken);

    /// <summary>Where the top document was looked for, to finish a "not found" message: the registry, or the layout and the names it has.</summary>
    string DescribeWhereMissing();

    /// <summary>
    /// The OCI 1.1 referrers of a manifest the source holds (SBOMs, signatures), as listed (artifactType and annotations
    /// included); none when the source keeps none or cannot list them.
    /// </summary>
    Task<IReadOnlyList<Descriptor>> GetReferrersAsync(Digest subject, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Descriptor>>([]);
}
