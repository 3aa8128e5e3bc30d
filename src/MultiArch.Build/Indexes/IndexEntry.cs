using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Indexes;

/// <summary>
/// One entry of an index being made: the descriptor the index will list (platform and annotations
/// included), and the image to copy into the target repository, or null when the target repository
/// already holds it.
/// </summary>
public sealed record IndexEntry(Descriptor Descriptor, ImageArtifact? Image)
{
    public bool IsAttestation => Attestations.IsAttestation(Descriptor);

    public Digest? Subject => Attestations.SubjectOf(Descriptor);

    public Digest Digest => Descriptor.Digest;

    public Platform? Platform => Descriptor.Platform;
}
