using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Registry.Push;

/// <summary>
/// Puts the referrers of images already pushed (their blobs too). A registry with the referrers API says so by answering
/// the PUT with <c>OCI-Subject</c>, and lists them itself. For any other (distribution 2.x, Docker Hub) this keeps the
/// distribution spec's referrers tag schema: the index under <c>sha256-&lt;hex of the subject&gt;</c> is read, the new
/// referrers are added to what it lists (other tools' signatures and SBOMs stay), and it is put back only if it changed.
/// A registry has no conditional manifest PUT, so two writers that read the tag before either wrote it would each drop
/// the other's listing: after a put the tag is read again, and merged and put again while something is missing.
/// </summary>
internal sealed class ReferrerPusher(RegistryClient client, ImageReference repository)
{
    public async Task PutAsync(IEnumerable<ImageArtifact> images, CancellationToken cancellationToken)
    {
        foreach (var image in images.Where(i => i.Referrers.Count > 0))
        {
            var unlisted = new List<Descriptor>();
            foreach (var referrer in image.Referrers)
            {
                var indexed = await client.PutManifestAsync(repository, referrer.Descriptor.Digest.ToString(), referrer.Descriptor.MediaType,
                    referrer.ManifestBytes, referrer.Descriptor.Digest, cancellationToken).ConfigureAwait(false);
                if (indexed != image.Descriptor.Digest) unlisted.Add(Referrers.ListingOf(referrer.Descriptor, referrer.Manifest));
            }
            if (unlisted.Count > 0) await UpdateTagAsync(image.Descriptor.Digest, unlisted, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How many times the tag is put before another writer that keeps replacing it is reported.</summary>
    internal const int TagRounds = 4;

    private async Task UpdateTagAsync(Digest subject, IReadOnlyList<Descriptor> listings, CancellationToken cancellationToken)
    {
        var tagged = repository.WithTag(Referrers.TagFor(subject));
        // Each round reads the tag (after a put, that read is the check) and puts it back if something is missing.
        for (int round = 1; ; round++)
        {
            var (index, changed) = await MergeAsync(tagged, subject, listings, cancellationToken).ConfigureAwait(false);
            if (!changed)
            {
                if (round > 1) client.Options.Log.Write(BuildLogLevel.Info, $"Referrers of {subject} listed under {tagged} ({index!.Manifests.Count} in all).");
                return;
            }
            if (round > TagRounds) break;
            if (round > 1)
                client.Options.Log.Write(BuildLogLevel.Info, $"{tagged} was replaced by another writer after it was put; adding the referrers to what it lists now (round {round}).");
            await PutTagAsync(tagged, subject, index!, cancellationToken).ConfigureAwait(false);
            // A growing, random pause before the check, so that two writers in step do not keep replacing each other
            // and a registry whose reads lag behind its writes has caught up.
            if (round > 1) await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Pow(3, round - 2) * (1 + Random.Shared.NextDouble())), cancellationToken).ConfigureAwait(false);
        }
        throw new MabException(ErrorCode.ReferrersTagRefused,
            $"{tagged}, the referrers index that lists the referrers (SBOMs) of {subject}, was replaced by another writer each of the {TagRounds} times it was put, and does not list them. Nothing was tagged. Publish again once the other writer (a signing or SBOM tool) is done, or push to a registry with the OCI referrers API.");
    }

    /// <summary>The tag's index as it is now, with <paramref name="listings"/> added; unchanged when it lists them all already.</summary>
    private async Task<(ImageIndex? Index, bool Changed)> MergeAsync(ImageReference tagged, Digest subject, IReadOnlyList<Descriptor> listings, CancellationToken cancellationToken)
    {
        var current = await client.TryGetManifestAsync(tagged, cancellationToken).ConfigureAwait(false);
        if (current is { IsIndex: false })
            throw new MabException(ErrorCode.ReferrersTagRefused,
                $"{tagged} names a {current.MediaType}, where the referrers tag schema keeps an index of the artifacts that refer to {subject}. Something other than a referrers index was pushed under that tag: remove it, or push to a registry with the OCI referrers API.");
        var index = current is null ? null : OciJson.DeserializeIndex(current.Bytes);
        bool changed = false;
        foreach (var listing in listings)
        {
            if (Referrers.WithReferrer(index, listing) is { } updated) { index = updated; changed = true; }
        }
        return (index, changed);
    }

    private async Task PutTagAsync(ImageReference tagged, Digest subject, ImageIndex index, CancellationToken cancellationToken)
    {
        string tag = tagged.Tag!;
        byte[] bytes = OciJson.Serialize(index);
        try
        {
            await client.PutManifestAsync(repository, tag, MediaTypes.OciIndex, bytes, null, cancellationToken).ConfigureAwait(false);
        }
        catch (MabException ex) when (ex.Code != ErrorCode.ReferrersTagRefused)
        {
            throw new MabException(ErrorCode.ReferrersTagRefused,
                $"Registry {repository.Registry} refused the referrers index {tagged} that lists the SBOM of {subject} ({ex.Code}: {ex.Message}). Nothing was tagged. Allow pushing that tag, push to a registry with the OCI referrers API, or publish without ContainerGenerateSbom.", ex);
        }
    }
}
