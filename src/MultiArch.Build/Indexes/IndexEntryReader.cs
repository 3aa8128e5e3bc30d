using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;

namespace MultiArch.Build.Indexes;

/// <summary>
/// Reads the sources of a new index. A manifest becomes one entry whose platform is read from its config (variant,
/// os.version and os.features included), so a platform never depends on what some index once claimed. An index is
/// flattened into its children; its attestation entries are kept as written, still pointing at their subjects. An
/// image already in the target repository is listed only; any other is copied with the index (a push mounts blobs
/// from another repository of the same registry), together with its OCI 1.1 referrers (SBOMs, signatures), which a
/// registry or layout keeps beside the image rather than in the index.
/// </summary>
public sealed class IndexEntryReader(ImageReference target)
{
    public async Task<IReadOnlyList<IndexEntry>> ReadAsync(ImageSourceReader reader, CancellationToken cancellationToken)
    {
        var source = reader.Source;
        var top = await reader.ReadTopAsync(where => new MabException(ErrorCode.IndexSourceNotFound,
            $"Index source {source.Name} was not found: {where}. Check the digest (from ContainerMetadataFile of the push)."), cancellationToken).ConfigureAwait(false);
        var images = await reader.ReadImagesAsync(top, null, cancellationToken).ConfigureAwait(false);
        // Images already in the target are listed, not copied, and so need no referrers.
        bool inTarget = InTarget(reader.Source);
        var referrers = inTarget ? null : await reader.ReadReferrersAsync(images, cancellationToken).ConfigureAwait(false);
        return [.. images.Select((image, i) => EntryOf(reader, image, top.IsIndex ? image.Descriptor : null, referrers?[i]))];
    }

    private static IndexEntry EntryOf(ImageSourceReader reader, SourceImage image, Descriptor? listed, IReadOnlyList<ImageArtifact>? referrers)
    {
        var descriptor = image.Descriptor;
        if (!Attestations.IsAttestation(descriptor)) descriptor.Platform = PlatformOf(reader.Source, image, listed);
        return referrers is null ? new IndexEntry(descriptor, null) : new IndexEntry(descriptor, image.ToArtifact(descriptor).WithReferrers(referrers));
    }

    private static Platform PlatformOf(IImageSource source, SourceImage image, Descriptor? listed)
    {
        var platform = image.Config.ToPlatform();
        if (platform.OS.Length > 0 && platform.Architecture.Length > 0)
        {
            // os.features are rarely in configs; an index entry that had them keeps them.
            platform.OSFeatures ??= listed?.Platform?.OSFeatures is { Count: > 0 } features ? [.. features] : null;
            return platform;
        }
        return listed?.Platform is { OS.Length: > 0, Architecture.Length: > 0 } known
            ? known.Clone()
            : throw new MabException(ErrorCode.IndexSourceHasNoPlatform,
                $"Image {image.Document.Digest} of {source.Name} has a config with no os and architecture, so the index cannot say where it runs. Rebuild it with a platform, or leave it out of ContainerIndexSources.");
    }

    private bool InTarget(IImageSource source) =>
        source is RegistryImageSource registry
        && string.Equals(registry.Repository.Registry, target.Registry, StringComparison.OrdinalIgnoreCase)
        && registry.Repository.Repository == target.Repository;
}
