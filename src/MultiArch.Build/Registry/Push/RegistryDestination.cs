using System.Collections.Concurrent;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Registry.Push;

/// <summary>
/// Pushes images to a registry repository in the order that never exposes half an image: every
/// blob first (in parallel), then each platform manifest by digest, then their referrers (SBOMs), then the
/// index by digest, and the tags last. No extra per-platform tags are made.
/// </summary>
public sealed class RegistryDestination : IImageDestination
{
    private readonly RegistryClient _client;
    private readonly BlobUploader _uploader;
    private readonly IProgress<BlobProgress>? _progress;

    /// <param name="client">The client to push with; it may be shared with base-image pulls so tokens and connections are reused.</param>
    /// <param name="repository">Where to push; its tag and digest are ignored (tags are given per write).</param>
    /// <param name="progress">Receives an event per chunk of bytes sent and one when each blob is done.</param>
    public RegistryDestination(RegistryClient client, ImageReference repository, IProgress<BlobProgress>? progress = null)
    {
        _client = client;
        _uploader = new BlobUploader(client);
        _progress = progress;
        Repository = repository with { Tag = null, Digest = null };
        _referrers = new ReferrerPusher(client, Repository);
    }

    private readonly ReferrerPusher _referrers;

    public ImageReference Repository { get; }

    public async Task<DestinationResult> WriteIndexAsync(IndexArtifact index, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        CheckTags(tags);
        var counts = await PushBlobsAsync(index.Images.SelectMany(BlobsWithReferrers), cancellationToken).ConfigureAwait(false);
        // Each image, then its referrers (each subject has its own referrers tag, so images need not wait for each other).
        await Parallel.ForEachAsync(index.Images, Parallelism(cancellationToken), async (image, ct) =>
        {
            await PutManifestAsync(image.Descriptor, image.ManifestBytes, ct).ConfigureAwait(false);
            await _referrers.PutAsync([image], ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        var references = await PutWithTagsAsync(index.Descriptor, index.IndexBytes, tags, putByDigest: false, cancellationToken).ConfigureAwait(false);
        return new DestinationResult(references, counts.Written, counts.Skipped);
    }

    public async Task<DestinationResult> WriteImageAsync(ImageArtifact image, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        CheckTags(tags);
        var counts = await PushBlobsAsync(BlobsWithReferrers(image), cancellationToken).ConfigureAwait(false);
        bool referred = image.Referrers.Count > 0;
        if (referred)
        {
            // The image by digest, then its referrers, and only then the tags.
            await PutManifestAsync(image.Descriptor, image.ManifestBytes, cancellationToken).ConfigureAwait(false);
            await _referrers.PutAsync([image], cancellationToken).ConfigureAwait(false);
        }
        var references = await PutWithTagsAsync(image.Descriptor, image.ManifestBytes, tags, putByDigest: referred, cancellationToken).ConfigureAwait(false);
        return new DestinationResult(references, counts.Written, counts.Skipped);
    }

    private static IEnumerable<BlobContent> BlobsWithReferrers(ImageArtifact image) => image.Blobs.Concat(image.Referrers.SelectMany(r => r.Blobs));

    /// <summary>Bad tags fail before anything is sent.</summary>
    private void CheckTags(IReadOnlyList<string> tags)
    {
        foreach (string tag in tags) Repository.WithTag(tag);
    }

    private async Task<(long Written, long Skipped)> PushBlobsAsync(IEnumerable<BlobContent> blobs, CancellationToken cancellationToken)
    {
        var unique = blobs.GroupBy(b => b.Descriptor.Digest).Select(g => g.First())
            .OrderByDescending(b => b.Descriptor.Size).ToList(); // largest first, so the long uploads overlap the short ones
        long written = 0, skipped = 0;
        var states = new ConcurrentDictionary<Digest, BlobProgressState>();
        await Parallel.ForEachAsync(unique, Parallelism(cancellationToken), async (blob, ct) =>
        {
            var state = await _uploader.PushAsync(Repository, blob, MountSourceOf(blob), Report, ct).ConfigureAwait(false);
            states[blob.Descriptor.Digest] = state;
            if (state == BlobProgressState.Uploaded) Interlocked.Add(ref written, blob.Descriptor.Size);
            else Interlocked.Add(ref skipped, blob.Descriptor.Size);
        }).ConfigureAwait(false);
        _client.Options.Log.Write(BuildLogLevel.Info,
            $"Pushed {unique.Count} blobs to {Repository}: {states.Values.Count(s => s == BlobProgressState.Uploaded)} uploaded ({written} bytes), {states.Values.Count(s => s == BlobProgressState.Mounted)} mounted, {states.Values.Count(s => s == BlobProgressState.Skipped)} already there.");
        return (written, skipped);
    }

    /// <summary>A blob read from another repository of the same registry can be mounted instead of uploaded.</summary>
    private ImageReference? MountSourceOf(BlobContent blob) =>
        blob.Source is RegistryBlobSource { Repository: var from }
        && string.Equals(from.Registry, Repository.Registry, StringComparison.OrdinalIgnoreCase)
        && from.Repository != Repository.Repository
            ? from
            : null;

    /// <summary>
    /// Puts the top document under each tag; a PUT by tag also stores it under its digest, so it is put by
    /// digest only when there is no tag and it was not put by digest already (<paramref name="putByDigest"/>: before its
    /// referrers). Everything it references is already in place.
    /// </summary>
    private async Task<IReadOnlyList<string>> PutWithTagsAsync(Descriptor descriptor, byte[] bytes, IReadOnlyList<string> tags, bool putByDigest, CancellationToken cancellationToken)
    {
        if (tags.Count == 0 && !putByDigest) await PutManifestAsync(descriptor, bytes, cancellationToken).ConfigureAwait(false);
        var references = new List<string> { Repository.WithDigest(descriptor.Digest).ToString() };
        foreach (string tag in tags)
        {
            await _client.PutManifestAsync(Repository, tag, descriptor.MediaType, bytes, descriptor.Digest, cancellationToken).ConfigureAwait(false);
            references.Add(Repository.WithTag(tag).ToString());
        }
        return references;
    }

    private Task PutManifestAsync(Descriptor descriptor, byte[] bytes, CancellationToken cancellationToken) =>
        _client.PutManifestAsync(Repository, descriptor.Digest.ToString(), descriptor.MediaType, bytes, descriptor.Digest, cancellationToken);

    private ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Math.Max(1, _client.Options.MaxParallelUploads), CancellationToken = cancellationToken };

    private void Report(BlobProgress progress) => _progress?.Report(progress);
}
