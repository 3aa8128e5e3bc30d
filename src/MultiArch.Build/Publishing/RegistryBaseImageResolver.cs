using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Pull;

namespace MultiArch.Build.Publishing;

/// <summary>Base images from a registry, picked per platform with containerd's matching rules.</summary>
public sealed class RegistryBaseImageResolver(RegistryClient client) : IBaseImageResolver
{
    private readonly BaseImageResolver _resolver = new(client, ContainerdPlatformSelector.Instance);

    public async Task<IReadOnlyList<BaseImage>> ResolveAsync(string reference, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken)
    {
        var parsed = ImageReference.Parse(reference);
        var result = new List<BaseImage>(platforms.Count);
        foreach (var platform in platforms)
        {
            var resolved = await _resolver.ResolveAsync(parsed, platform, cancellationToken).ConfigureAwait(false);
            string mediaType = resolved.Descriptor.MediaType is { Length: > 0 } type && MediaTypes.IsManifest(type)
                ? type
                : resolved.Manifest.MediaType ?? MediaTypes.OciManifest;
            result.Add(new BaseImage(resolved.Manifest, mediaType, resolved.Config, resolved.Layers, resolved.Descriptor.Platform?.Clone())
            {
                Origin = new BaseImageOrigin(reference, resolved.Index?.Digest, resolved.Descriptor.Digest),
            });
        }
        return result;
    }

    /// <summary>Adapts the core matcher (variant fallbacks, os.features, Windows versions, index order) to the resolver.</summary>
    private sealed class ContainerdPlatformSelector : IPlatformSelector
    {
        public static readonly ContainerdPlatformSelector Instance = new();

        public Descriptor? Select(Platform wanted, IReadOnlyList<Descriptor> manifests) => PlatformMatcher.For(wanted).SelectBest(manifests);

        public bool Serves(Platform wanted, Platform actual) => PlatformMatcher.For(wanted).Matches(actual);

        public string Describe(IReadOnlyList<Descriptor> manifests) => PlatformFormatter.FormatAvailable(manifests);
    }
}
