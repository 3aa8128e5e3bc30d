using MultiArch.Build.Oci;

namespace MultiArch.Build.Layers;

/// <summary>
/// A written layer: <paramref name="Descriptor"/> names the compressed blob now in the blob store
/// (what a manifest lists), <paramref name="DiffId"/> is the sha256 of the uncompressed tar (what the
/// image config's rootfs lists), and <paramref name="UncompressedSize"/> is the tar's length.
/// </summary>
public sealed record LayerResult(Descriptor Descriptor, Digest DiffId, long UncompressedSize);
