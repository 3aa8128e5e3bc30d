using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Indexes;

/// <summary>
/// Reads what a reference names, and for an index every manifest it lists, without pulling a layer; with each image,
/// the SBOMs attached to it as referrers (BuildKit-style SBOM attestations are entries of the index themselves).
/// </summary>
public static class ImageInspector
{
    public static async Task<InspectedImage> InspectAsync(ImageSourceReader reader, CancellationToken cancellationToken)
    {
        var source = reader.Source;
        var top = await reader.ReadTopAsync(where => new MabException(ErrorCode.InspectImageNotFound,
            $"Image {source.Name} does not exist: {where}."), cancellationToken).ConfigureAwait(false);
        var manifests = new List<InspectedManifest>();
        if (top.IsIndex)
        {
            foreach (var entry in OciJson.DeserializeIndex(top.Bytes).Manifests)
            {
                var child = await reader.ReadChildAsync(top, entry, cancellationToken).ConfigureAwait(false);
                // A nested index has no layers of its own; its line says so with a layer count of -1.
                int layers = child.IsIndex ? -1 : OciJson.DeserializeManifest(child.Bytes).Layers.Count;
                bool attestation = Attestations.IsAttestation(entry);
                string platform = attestation ? "attestation" : entry.Platform?.ToString() ?? "(no platform)";
                var sboms = attestation || child.IsIndex ? [] : await SbomsOfAsync(source, entry.Digest, cancellationToken).ConfigureAwait(false);
                manifests.Add(new InspectedManifest(platform, entry.Digest, entry.MediaType, entry.Size, layers, attestation, Attestations.SubjectOf(entry)) { Sboms = sboms });
            }
        }
        else
        {
            var image = await reader.ReadImageAsync(top, null, cancellationToken).ConfigureAwait(false);
            manifests.Add(new InspectedManifest(image.Config.ToPlatform().ToString(), top.Digest, top.MediaType, top.Bytes.Length, image.Manifest.Layers.Count, false, null)
            {
                Sboms = await SbomsOfAsync(source, top.Digest, cancellationToken).ConfigureAwait(false),
            });
        }
        return new InspectedImage(source.Name, top.MediaType, top.Digest, top.Bytes, manifests);
    }

    private static async Task<IReadOnlyList<Descriptor>> SbomsOfAsync(IImageSource source, Digest image, CancellationToken cancellationToken) =>
        (await source.GetReferrersAsync(image, cancellationToken).ConfigureAwait(false))
            .Where(r => r.ArtifactType == Sbom.SbomArtifacts.SpdxMediaType).ToList();
}
