using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;

namespace MultiArch.Build.Indexes;

/// <summary>Reads what a reference names, and for an index every manifest it lists, without pulling a layer.</summary>
public sealed class ImageInspector(RegistryClient client)
{
    public async Task<InspectedImage> InspectAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        var top = await client.TryGetManifestAsync(reference, cancellationToken).ConfigureAwait(false)
            ?? throw new MabException(ErrorCode.InspectImageNotFound,
                $"Image {reference} does not exist in registry {reference.Registry}. Check the repository and tag (or digest), and that the credentials in use may read it.");
        var manifests = new List<InspectedManifest>();
        if (top.IsIndex)
        {
            foreach (var entry in OciJson.DeserializeIndex(top.Bytes).Manifests)
                manifests.Add(await ReadEntryAsync(reference, entry, cancellationToken).ConfigureAwait(false));
        }
        else
        {
            var manifest = OciJson.DeserializeManifest(top.Bytes);
            var config = OciJson.DeserializeConfig(await client.GetSmallBlobAsync(reference, manifest.Config, cancellationToken).ConfigureAwait(false));
            manifests.Add(new InspectedManifest(config.ToPlatform().ToString(), top.Digest, top.MediaType, top.Bytes.Length, manifest.Layers.Count, false, null));
        }
        return new InspectedImage(reference.ToString(), top.MediaType, top.Digest, top.Bytes, manifests);
    }

    private async Task<InspectedManifest> ReadEntryAsync(ImageReference reference, Descriptor entry, CancellationToken cancellationToken)
    {
        var child = await client.TryGetManifestAsync(reference.WithDigest(entry.Digest), cancellationToken).ConfigureAwait(false);
        // A nested index or a missing child still gets a line; its layer count is unknown (-1).
        int layers = child is { IsIndex: false } ? OciJson.DeserializeManifest(child.Bytes).Layers.Count : -1;
        bool attestation = Attestations.IsAttestation(entry);
        string platform = attestation ? "attestation" : entry.Platform?.ToString() ?? "(no platform)";
        return new InspectedManifest(platform, entry.Digest, entry.MediaType, entry.Size, layers, attestation, Attestations.SubjectOf(entry));
    }
}
