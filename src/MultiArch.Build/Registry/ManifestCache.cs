using System.Collections.Concurrent;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Registry;

/// <summary>
/// Manifests, indexes and configs already fetched and verified, by registry, repository and digest, with the digest each tag
/// last named. Content never changes under its digest, so fetching it again only needs the registry to confirm, with
/// a HEAD, that it still has the manifest and lets this client read it (a config, read by digest only, is served as
/// it is); Docker Hub counts manifest GETs as pulls
/// against its rate limit and HEADs not at all. The base image preflight and the publish are separate tasks with
/// their own clients, so the clients <see cref="RegistryClients"/> makes share one cache per process; a client made
/// on its own keeps its own. Bounded, it forgets everything when full.
/// </summary>
internal sealed class ManifestCache
{
    private const long MaxBytes = 16L * 1024 * 1024;
    private readonly ConcurrentDictionary<string, ImageDocument> _byDigest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Digest> _byTag = new(StringComparer.Ordinal);
    private long _bytes;

    /// <summary>The cache of every client <see cref="RegistryClients"/> makes.</summary>
    public static ManifestCache Shared { get; } = new();

    /// <summary>What the reference names as last seen: by its digest, or by the digest its tag named.</summary>
    public ImageDocument? Find(ImageReference reference)
    {
        var digest = reference.Digest ?? (_byTag.TryGetValue(TagKey(reference), out var tagged) ? tagged : null);
        return digest is { } known && _byDigest.TryGetValue(DigestKey(reference, known), out var cached) ? cached : null;
    }

    public void Add(ImageReference reference, ImageDocument manifest)
    {
        if (Interlocked.Add(ref _bytes, manifest.Bytes.Length) > MaxBytes)
        {
            _byDigest.Clear();
            _byTag.Clear();
            Interlocked.Exchange(ref _bytes, manifest.Bytes.Length);
        }
        _byDigest[DigestKey(reference, manifest.Digest)] = manifest;
        if (reference.Digest is null) _byTag[TagKey(reference)] = manifest.Digest;
    }

    private static string DigestKey(ImageReference reference, Digest digest) =>
        $"{reference.Registry.ToLowerInvariant()}/{reference.Repository}@{digest}";

    private static string TagKey(ImageReference reference) =>
        $"{reference.Registry.ToLowerInvariant()}/{reference.Repository}:{reference.ManifestReference}";
}
