using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Sbom;

/// <summary>
/// The publish step that gives each built platform image its SBOM: an SPDX document made from the platform's own
/// publish, stored as the image's referrer or as an attestation entry for the index. The images themselves are not
/// changed, so their digests (and the index's, with referrers) are the same as without an SBOM.
/// </summary>
public static class ImageSboms
{
    /// <summary>
    /// The images to write (with their referrers), the attestation entries to list after them in the index, and each image's
    /// SBOM as written (in the order of the images; none without ContainerGenerateSbom).
    /// </summary>
    public sealed record Attached(IReadOnlyList<ImageArtifact> Images, IReadOnlyList<IndexEntry> Attestations, IReadOnlyList<SbomWritten?> Sboms);

    public static Attached Attach(ContainerPublishRequest request, IReadOnlyList<ImageArtifact> built, IReadOnlyList<BaseImage> bases, IBuildLog log)
    {
        if (request.Sbom is not { } storage) return new Attached(built, [], [.. built.Select(_ => (SbomWritten?)null)]);
        var images = new List<ImageArtifact>();
        var attestations = new List<IndexEntry>();
        var sboms = new List<SbomWritten?>();
        // A Windows platform gives an image per Windows build from one publish: its inventory is read once.
        var inventories = new Dictionary<PublishedPlatform, SbomInventory>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < built.Count; i++)
        {
            var image = built[i];
            SbomStorages.EnsureExpressible(storage, MediaTypes.FamilyOf(image.Descriptor.MediaType), request.Destination.PushByDigest);
            var platform = request.Platforms[i];
            if (!inventories.TryGetValue(platform, out var inventory))
                inventories[platform] = inventory = SbomInventory.Of(platform, request.Execution.AssemblyName);
            var subject = new SbomSubject(request.Destination.Repository, image.Descriptor, bases[i].Origin, request.Edits.Created);
            byte[] spdx = SbomJson.Serialize(SpdxBuilder.Build(inventory, subject));
            log.Write(BuildLogLevel.Info,
                $"SBOM of {platform.Target.RuntimeIdentifier} image {image.Descriptor.Digest}: SPDX 2.3, {inventory.Components.Count + 1} packages, {spdx.Length} bytes, stored as {(storage == SbomStorage.Index ? "an index attestation" : "a referrer")}");
            if (storage == SbomStorage.Index)
            {
                images.Add(image);
                var attestation = SbomArtifacts.Attestation(spdx, image.Descriptor, Purl.Oci(request.Destination.Repository, image.Descriptor.Digest, image.Descriptor.Platform?.Architecture, null));
                attestations.Add(attestation);
                sboms.Add(new SbomWritten(storage, attestation.Descriptor, Digest.Compute(spdx)));
            }
            else
            {
                var referrer = SbomArtifacts.Referrer(spdx, image.Descriptor, request.Edits.Created);
                images.Add(image.WithReferrers([referrer]));
                sboms.Add(new SbomWritten(storage, referrer.Descriptor, referrer.Manifest.Layers[0].Digest));
            }
        }
        return new Attached(images, attestations, sboms);
    }
}

/// <summary>
/// One image's SBOM as written: where it is stored, the manifest that carries it (the referrer, or the attestation manifest the
/// index lists), and the digest of the SPDX document itself (for an attestation, the predicate of its in-toto statement).
/// </summary>
public sealed record SbomWritten(SbomStorage Storage, Descriptor Manifest, Digest Document);
