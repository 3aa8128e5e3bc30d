using MultiArch.Build.Blobs;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Images;

/// <summary>
/// A layer written for this build: the descriptor of its compressed blob, the digest of its
/// uncompressed tar (diff_id), where its bytes are, and the history entry that explains it.
/// </summary>
public sealed record NewLayer(Descriptor Blob, Digest DiffId, IBlobSource Source, string? CreatedBy = null, string? Comment = null);
