using MultiArch.Build.Oci;

namespace MultiArch.Build.Images;

/// <summary>
/// One entry of an index being made: the descriptor the index will list (platform and annotations
/// included), and the image to write with it, or null when the destination already holds it.
/// </summary>
public sealed record IndexEntry(Descriptor Descriptor, ImageArtifact? Image)
{
    /// <summary>An image just built: listed under its own descriptor, and written with the index.</summary>
    public static IndexEntry Of(ImageArtifact image) => new(image.Descriptor.Clone(), image);

    public bool IsAttestation => Attestations.IsAttestation(Descriptor);

    public Digest? Subject => Attestations.SubjectOf(Descriptor);

    public Digest Digest => Descriptor.Digest;

    public Platform? Platform => Descriptor.Platform;
}
