using MultiArch.Build.Oci;

namespace MultiArch.Build.Images;

/// <summary>
/// Where a base image came from, for the <c>org.opencontainers.image.base.*</c> annotations: the reference
/// as written, the digest of the index it was picked from (null for a single-platform base) and the
/// digest of the platform's manifest.
/// </summary>
public sealed record BaseImageOrigin(string Name, Digest? IndexDigest, Digest ManifestDigest);
