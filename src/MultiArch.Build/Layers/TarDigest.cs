using MultiArch.Build.Oci;

namespace MultiArch.Build.Layers;

/// <summary>A layer's tar as <see cref="LayerWriter"/> would write it: its sha256 (the diff_id) and its length.</summary>
public readonly record struct TarDigest(Digest DiffId, long Size);
