using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Images;

/// <summary>
/// The one walk from a source's top document through an index to an image's manifest and config. The top is
/// fetched once per reader whatever the number of platforms; a child an index lists but the source lacks is
/// <see cref="ErrorCode.ImageIncomplete"/> for every caller and every kind of source.
/// </summary>
public sealed class ImageSourceReader(IImageSource source)
{
    private Task<ImageDocument?>? _top;

    public IImageSource Source => source;

    /// <summary>The digest of the top document, once <see cref="ReadTopAsync"/> has read it.</summary>
    public Digest? TopDigest => _top is { IsCompletedSuccessfully: true } read ? read.Result?.Digest : null;

    /// <summary>The document the source's reference names.</summary>
    /// <param name="notFound">The error for a reference that names nothing, given the source's own explanation of where it looked: each caller names the property the user set.</param>
    public async Task<ImageDocument> ReadTopAsync(Func<string, MabException> notFound, CancellationToken cancellationToken)
    {
        _top ??= source.TryGetTopAsync(cancellationToken);
        return await _top.ConfigureAwait(false) ?? throw notFound(source.DescribeWhereMissing());
    }

    /// <summary>A document an index lists.</summary>
    public async Task<ImageDocument> ReadChildAsync(ImageDocument index, Descriptor listed, CancellationToken cancellationToken) =>
        await source.TryGetDocumentAsync(listed, cancellationToken).ConfigureAwait(false)
        ?? throw new MabException(ErrorCode.ImageIncomplete,
            $"Index {index.Digest} of {source.Name} lists {listed.Digest} ({Describe(listed)}), but the source does not hold it. The index is incomplete; push or write it again, or name another tag or digest.");

    /// <summary>
    /// The image a manifest document holds: its manifest and config. <paramref name="listed"/> is the entry an index listed it
    /// under (kept as written, platform included); null for an image named directly, whose descriptor is made from the document.
    /// </summary>
    public async Task<SourceImage> ReadImageAsync(ImageDocument document, Descriptor? listed, CancellationToken cancellationToken)
    {
        if (!MediaTypes.IsManifest(document.MediaType))
            throw new MabException(ErrorCode.BaseNotAManifest,
                $"{source.Name} lists {document.Digest} as '{document.MediaType}', where an image manifest is needed. Nested indexes are not read; name the inner index directly.");
        var manifest = OciJson.DeserializeManifest(document.Bytes);
        var config = OciJson.DeserializeConfig(await source.GetConfigAsync(manifest.Config, cancellationToken).ConfigureAwait(false));
        var descriptor = listed?.Clone() ?? document.ToDescriptor();
        descriptor.MediaType = document.MediaType;
        return new SourceImage(descriptor, document, manifest, config, source);
    }

    /// <summary>
    /// Every image <paramref name="top"/> holds, in index order with the entries as listed: itself when it is a manifest,
    /// else each child the index lists (those <paramref name="include"/> takes), read in parallel. A nested index is
    /// <see cref="ErrorCode.BaseNotAManifest"/>, a missing child <see cref="ErrorCode.ImageIncomplete"/>, for every caller.
    /// </summary>
    public async Task<IReadOnlyList<SourceImage>> ReadImagesAsync(ImageDocument top, Func<Descriptor, bool>? include, CancellationToken cancellationToken)
    {
        if (!top.IsIndex) return [await ReadImageAsync(top, null, cancellationToken).ConfigureAwait(false)];
        var listed = OciJson.DeserializeIndex(top.Bytes).Manifests.Where(include ?? (_ => true));
        return await Task.WhenAll(listed.Select(async entry =>
        {
            var child = await ReadChildAsync(top, entry, cancellationToken).ConfigureAwait(false);
            return await ReadImageAsync(child, entry, cancellationToken).ConfigureAwait(false);
        })).ConfigureAwait(false);
    }

    /// <summary>
    /// The referrers of each of <paramref name="images"/> (in their order, read at once): none for an attestation entry,
    /// which is itself what refers to an image.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<ImageArtifact>>> ReadReferrersAsync(IReadOnlyList<SourceImage> images, CancellationToken cancellationToken) =>
        await Task.WhenAll(images.Select(image => Attestations.IsAttestation(image.Descriptor)
            ? Task.FromResult<IReadOnlyList<ImageArtifact>>([])
            : ReadReferrersAsync(image.Document.Digest, cancellationToken))).ConfigureAwait(false);

    /// <summary>
    /// The OCI 1.1 referrers of an image (SBOMs, signatures) as artifacts to write beside it, each checked to name the
    /// image as its subject; one the source lists but does not hold is left out.
    /// </summary>
    public async Task<IReadOnlyList<ImageArtifact>> ReadReferrersAsync(Digest image, CancellationToken cancellationToken)
    {
        var result = new List<ImageArtifact>();
        foreach (var listed in await source.GetReferrersAsync(image, cancellationToken).ConfigureAwait(false))
        {
            if (!MediaTypes.IsManifest(listed.MediaType) || await source.TryGetDocumentAsync(listed, cancellationToken).ConfigureAwait(false) is not { } document) continue;
            var manifest = OciJson.DeserializeManifest(document.Bytes);
            if (manifest.Subject?.Digest != image) continue;
            result.Add(ImageArtifact.Stored(manifest, document.Bytes, null, source.Blobs));
        }
        return result;
    }

    private static string Describe(Descriptor listed) =>
        Attestations.IsAttestation(listed) ? "an attestation" : listed.Platform?.ToString() ?? "no platform";
}
