using System.Collections.Concurrent;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Registry.Pull;

/// <summary>
/// Finds the base image for each platform of a build. The top-level index or manifest of a base
/// reference is fetched once per resolver (the preflight has one, the publish another; the second read of a
/// manifest is a HEAD, see ManifestCache), whatever the number of platforms; each
/// platform then fetches only its own manifest and config. Everything fetched is checked against
/// its digest.
/// </summary>
public sealed class BaseImageResolver
{
    private readonly RegistryClient _client;
    private readonly IPlatformSelector _selector;
    private readonly ConcurrentDictionary<string, Lazy<Task<Top>>> _tops = new(StringComparer.Ordinal);

    /// <summary>A base reference's top document as fetched, and parsed once when it is an index.</summary>
    private sealed record Top(ManifestResponse Response, ImageIndex? Index);

    /// <param name="client">A client made with <see cref="Auth.CredentialPurpose.Pull"/>, so pull credentials apply.</param>
    /// <param name="selector">How a platform is picked from an index; containerd's rules (<see cref="MatcherPlatformSelector"/>) when null.</param>
    public BaseImageResolver(RegistryClient client, IPlatformSelector? selector = null)
    {
        _client = client;
        _selector = selector ?? MatcherPlatformSelector.Instance;
    }

    public async Task<ResolvedBase> ResolveAsync(ImageReference reference, Platform wanted, CancellationToken cancellationToken)
    {
        var (top, index) = await GetTopAsync(reference, cancellationToken).ConfigureAwait(false);
        var pinned = reference.WithDigest(top.Digest);
        var layers = new RegistryBlobSource(_client, reference with { Tag = null, Digest = null });
        if (index is not null)
        {
            var chosen = Choose(reference, index, wanted);
            var child = await _client.TryGetManifestAsync(reference.WithDigest(chosen.Digest), cancellationToken).ConfigureAwait(false)
                ?? throw new MabException(ErrorCode.BaseImageNotFound, $"Base image index {pinned} lists {chosen.Digest} for {chosen.Platform}, but the registry does not have it. The base image is incomplete; choose another tag or digest.");
            if (child.IsIndex)
                throw new MabException(ErrorCode.UnsupportedMediaType, $"Base image {pinned} lists another index ({chosen.Digest}) for {chosen.Platform}; nested indexes are not supported as base images. Point at the inner index directly.");
            return await ReadImageAsync(pinned, top, chosen, child, layers, cancellationToken).ConfigureAwait(false);
        }
        var own = new Descriptor { MediaType = top.MediaType, Digest = top.Digest, Size = top.Bytes.Length };
        var resolved = await ReadImageAsync(pinned, null, own, top, layers, cancellationToken).ConfigureAwait(false);
        var actual = resolved.Config.ToPlatform();
        if (!_selector.Serves(wanted, actual))
            throw new MabException(ErrorCode.BasePlatformMismatch, $"Base image {reference} is a single-platform image for {actual}, not {wanted}. Use a multi-platform base image, or one built for {wanted}.");
        own.Platform = actual;
        return resolved;
    }

    /// <summary>
    /// Checks, from one fetch of the top index, that every wanted platform has an image, reads each chosen
    /// image's manifest and config (so a missing or tampered one fails before anything is built: every
    /// document is checked against its digest), and returns the index's (or single manifest's) digest so
    /// the build can pin the base to it.
    /// </summary>
    public async Task<Digest> CheckAsync(ImageReference reference, IEnumerable<Platform> wanted, CancellationToken cancellationToken)
    {
        var (top, index) = await GetTopAsync(reference, cancellationToken).ConfigureAwait(false);
        var platforms = wanted.ToList();
        if (index is not null)
        {
            // Every missing platform is named in one error, before any image is fetched, so the list is fixed in one go
            // (resolving platform by platform would stop at the first and fetch the images before it).
            var missing = platforms.Where(p => _selector.Select(p, index.Manifests) is null).ToList();
            if (missing.Count > 0) throw NoImageFor(reference, index, missing);
        }
        foreach (var platform in platforms) await ResolveAsync(reference, platform, cancellationToken).ConfigureAwait(false);
        return top.Digest;
    }

    private Descriptor Choose(ImageReference reference, ImageIndex index, Platform wanted) =>
        _selector.Select(wanted, index.Manifests) ?? throw NoImageFor(reference, index, [wanted]);

    private MabException NoImageFor(ImageReference reference, ImageIndex index, IReadOnlyList<Platform> missing)
    {
        string names = string.Join(", ", missing.Select(Platforms.PlatformFormatter.Format));
        bool one = missing.Count == 1;
        return new MabException(ErrorCode.BasePlatformNotFound,
            $"Base image {reference} has no image for platform{(one ? "" : "s")} {names}; it offers {_selector.Describe(index.Manifests)}. " +
            $"Choose a base image that supports {names}, give {(one ? "that platform" : "each of them")} its own base with a ContainerPlatform item, or drop {(one ? "it" : "them")} from ContainerPlatforms.");
    }

    /// <summary>The index or manifest a reference names, fetched once per resolver.</summary>
    private Task<Top> GetTopAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        var lazy = _tops.GetOrAdd(reference.ToString(), _ => new Lazy<Task<Top>>(() => FetchTopAsync(reference, cancellationToken)));
        return lazy.Value;
    }

    private async Task<Top> FetchTopAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        var response = await _client.TryGetManifestAsync(reference, cancellationToken).ConfigureAwait(false)
            ?? throw new MabException(ErrorCode.BaseImageNotFound, $"Base image {reference} was not found in registry {reference.Registry}. Check the repository name and tag, and that the credentials in use may read it.");
        return new Top(response, response.IsIndex ? OciJson.DeserializeIndex(response.Bytes) : null);
    }

    private async Task<ResolvedBase> ReadImageAsync(ImageReference pinned, ManifestResponse? index, Descriptor descriptor, ManifestResponse image, RegistryBlobSource layers, CancellationToken cancellationToken)
    {
        var manifest = OciJson.DeserializeManifest(image.Bytes);
        var configBytes = await _client.GetSmallBlobAsync(layers.Repository, manifest.Config, cancellationToken).ConfigureAwait(false);
        var config = OciJson.DeserializeConfig(configBytes);
        return new ResolvedBase(pinned, index, descriptor, image.Bytes, manifest, configBytes, config, layers);
    }
}
