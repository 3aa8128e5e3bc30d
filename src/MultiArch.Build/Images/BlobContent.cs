using MultiArch.Build.Blobs;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Images;

/// <summary>A blob a destination must have, and where its bytes can be read from.</summary>
public sealed record BlobContent(Descriptor Descriptor, IBlobSource Source);
