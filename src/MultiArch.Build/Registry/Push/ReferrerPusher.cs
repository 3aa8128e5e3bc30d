using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Registry.Push;

/// <summary>
/// Puts the referrers of images already pushed (their blobs too). A registry with the referrers API says so by answering
/// the PUT with <c>OCI-Subject</c>, and lists them itself. For any other (distribution 2.x, Docker Hub) this keeps the
/// distribution spec's referrers tag schema: the index under <c>sha256-&lt;hex of the subject&gt;</c> is read, the new
/// referrers are added to what it lists (other tools' signatures and SBOMs stay), and it is put back only if it changed.
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

    private async Task UpdateTagAsync(Digest subject, IReadOnlyList<Descriptor> listings, CancellationToken cancellationToken)
    {
        string tag = Referrers.TagFor(subject);
        var tagged = repository.WithTag(tag);
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
        if (!changed) return;
        byte[] bytes = OciJson.Serialize(index!);
        try
        {
            await client.PutManifestAsync(repository, tag, MediaTypes.OciIndex, bytes, null, cancellationToken).ConfigureAwait(false);
        }
        catch (MabException ex) when (ex.Code != ErrorCode.ReferrersTagRefused)
        {
            throw new MabException(ErrorCode.ReferrersTagRefused,
                $"Registry {repository.Registry} refused the referrers index {tagged} that lists the SBOM of {subject} ({ex.Code}: {ex.Message}). Nothing was tagged. Allow pushing that tag, push to a registry with the OCI referrers API, or publish without ContainerGenerateSbom.", ex);
        }
        client.Options.Log.Write(BuildLogLevel.Info, $"Referrers of {subject} listed under {tagged} ({index!.Manifests.Count} in all).");
    }
}
