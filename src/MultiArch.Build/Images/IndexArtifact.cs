using MultiArch.Build.Oci;

namespace MultiArch.Build.Images;

/// <summary>A finished image index: its exact bytes and descriptor, and the images it lists.</summary>
public sealed class IndexArtifact
{
    public IndexArtifact(ImageIndex index, byte[] indexBytes, IReadOnlyList<ImageArtifact> images)
    {
        Index = index;
        IndexBytes = indexBytes;
        Images = images;
        Descriptor = Descriptor.For(index.MediaType ?? MediaTypes.OciIndex, indexBytes);
    }

    public ImageIndex Index { get; }
    public byte[] IndexBytes { get; }
    public Descriptor Descriptor { get; }
    public IReadOnlyList<ImageArtifact> Images { get; }
}
