using MultiArch.Build.Oci;

namespace MultiArch.Build.Indexes;

/// <summary>An image as its registry or layout holds it: the document a reference names (index or manifest, exact bytes) and each image it lists.</summary>
public sealed record InspectedImage(string Reference, string MediaType, Digest Digest, byte[] Bytes, IReadOnlyList<InspectedManifest> Manifests)
{
    public bool IsIndex => MediaTypes.IsIndex(MediaType);
}

/// <summary>One image of an index (or the image itself): its platform, manifest digest, size and layer count (-1 for a nested index); attestations point at their subject.</summary>
public sealed record InspectedManifest(string Platform, Digest Digest, string MediaType, long Size, int LayerCount, bool IsAttestation, Digest? Subject)
{
    /// <summary>The SBOMs attached to this image as OCI 1.1 referrers (artifactType <c>application/spdx+json</c>).</summary>
    public IReadOnlyList<Descriptor> Sboms { get; init; } = [];
}
