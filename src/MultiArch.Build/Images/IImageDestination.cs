namespace MultiArch.Build.Images;

/// <summary>
/// Where finished images go: a registry, a layout directory, or a layout archive. Every destination
/// writes children before the index and tags last, so a tag never names something incomplete. An image's
/// referrers (<see cref="ImageArtifact.Referrers"/>) are children too: they are written after their image and
/// before the index and tags, so a tag never names an image whose SBOM is missing.
/// </summary>
public interface IImageDestination
{
    /// <summary>Writes the index, every image it lists and all their blobs, then applies the tags.</summary>
    Task<DestinationResult> WriteIndexAsync(IndexArtifact index, IReadOnlyList<string> tags, CancellationToken cancellationToken);

    /// <summary>Writes one image and its blobs, then applies the tags (none for push-by-digest).</summary>
    Task<DestinationResult> WriteImageAsync(ImageArtifact image, IReadOnlyList<string> tags, CancellationToken cancellationToken);
}

/// <summary>What a destination did: the references it wrote and the bytes it moved or skipped.</summary>
public sealed record DestinationResult(IReadOnlyList<string> References, long BytesWritten, long BytesSkipped);
