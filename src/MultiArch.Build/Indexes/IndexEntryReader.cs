using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;

namespace MultiArch.Build.Indexes;

/// <summary>
/// Reads the sources of a new index from a registry. A manifest becomes one entry whose platform is
/// read from its config (variant, os.version and os.features included), so a platform never depends on
/// what some index once claimed. An index is flattened into its children; its attestation entries are
/// kept as written, still pointing at their subjects. Blobs of a source in another repository are read
/// through <see cref="RegistryBlobSource"/>, which lets the push mount them within one registry.
/// </summary>
public sealed class IndexEntryReader(RegistryClient client, ImageReference target)
{
    public async Task<IReadOnlyList<IndexEntry>> ReadAsync(ImageReference source, CancellationToken cancellationToken)
    {
        var top = await client.TryGetManifestAsync(source, cancellationToken).ConfigureAwait(false)
            ?? throw new MabException(ErrorCode.IndexSourceNotFound,
                $"Index source {source} was not found in registry {source.Registry}. Check the digest (from ContainerMetadataFile of the push) and that the credentials in use may read {source.Repository}.");
        return await ReadAsync(source, top, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The entries of a document already fetched from <paramref name="source"/>.</summary>
    public async Task<IReadOnlyList<IndexEntry>> ReadAsync(ImageReference source, ManifestResponse document, CancellationToken cancellationToken)
    {
        var entries = new List<IndexEntry>();
        await AddAsync(source, document, listed: null, entries, cancellationToken).ConfigureAwait(false);
        return entries;
    }

    private async Task AddAsync(ImageReference source, ManifestResponse document, Descriptor? listed, List<IndexEntry> entries, CancellationToken cancellationToken)
    {
        if (document.IsIndex)
        {
            foreach (var child in OciJson.DeserializeIndex(document.Bytes).Manifests)
            {
                var childDocument = await client.TryGetManifestAsync(source.WithDigest(child.Digest), cancellationToken).ConfigureAwait(false)
                    ?? throw new MabException(ErrorCode.IndexSourceNotFound,
                        $"Index {source} lists {child.Digest} ({child.Platform}), but registry {source.Registry} does not have it. The source index is incomplete; push it again or list its images one by one.");
                await AddAsync(source, childDocument, child, entries, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        entries.Add(await ReadImageAsync(source, document, listed, cancellationToken).ConfigureAwait(false));
    }

    private async Task<IndexEntry> ReadImageAsync(ImageReference source, ManifestResponse document, Descriptor? listed, CancellationToken cancellationToken)
    {
        if (!MediaTypes.IsManifest(document.MediaType))
            throw new MabException(ErrorCode.IndexSourceUnsupported,
                $"Index source {source.WithDigest(document.Digest)} is '{document.MediaType}', not an image manifest or index. List only images.");
        var manifest = OciJson.DeserializeManifest(document.Bytes);
        var repository = source with { Tag = null, Digest = null };
        var descriptor = listed?.Clone() ?? new Descriptor();
        descriptor.MediaType = document.MediaType;
        descriptor.Digest = document.Digest;
        descriptor.Size = document.Bytes.Length;
        if (!Attestations.IsAttestation(descriptor))
            descriptor.Platform = await PlatformOfAsync(repository, manifest, listed, cancellationToken).ConfigureAwait(false);

        var image = InTarget(repository) ? null : Artifact(repository, manifest, document, descriptor);
        return new IndexEntry(descriptor, image);
    }

    private async Task<Platform> PlatformOfAsync(ImageReference repository, ImageManifest manifest, Descriptor? listed, CancellationToken cancellationToken)
    {
        var config = OciJson.DeserializeConfig(await client.GetSmallBlobAsync(repository, manifest.Config, cancellationToken).ConfigureAwait(false));
        var platform = config.ToPlatform();
        if (platform.OS.Length > 0 && platform.Architecture.Length > 0)
        {
            // os.features are rarely in configs; an index entry that had them keeps them.
            platform.OSFeatures ??= listed?.Platform?.OSFeatures is { Count: > 0 } features ? [.. features] : null;
            return platform;
        }
        return listed?.Platform is { OS.Length: > 0, Architecture.Length: > 0 } known
            ? known.Clone()
            : throw new MabException(ErrorCode.IndexSourceHasNoPlatform,
                $"Image {repository.WithDigest(manifest.Config.Digest)} has a config with no os and architecture, so the index cannot say where it runs. Rebuild it with a platform, or leave it out of ContainerIndexSources.");
    }

    private bool InTarget(ImageReference repository) =>
        string.Equals(repository.Registry, target.Registry, StringComparison.OrdinalIgnoreCase)
        && repository.Repository == target.Repository;

    private ImageArtifact Artifact(ImageReference repository, ImageManifest manifest, ManifestResponse document, Descriptor descriptor)
    {
        var blobs = new RegistryBlobSource(client, repository);
        var contents = new[] { manifest.Config }.Concat(manifest.Layers).Select(d => new BlobContent(d, blobs)).ToList();
        return new ImageArtifact(manifest, document.Bytes, descriptor.Platform, contents);
    }
}
