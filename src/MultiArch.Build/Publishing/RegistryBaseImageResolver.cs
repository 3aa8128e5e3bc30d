using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Pull;

namespace MultiArch.Build.Publishing;

/// <summary>Base images from a registry, picked per platform with containerd's matching rules (the resolver's default selector).</summary>
public sealed class RegistryBaseImageResolver(RegistryClient client) : IBaseImageResolver
{
    private readonly BaseImageResolver _resolver = new(client);

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
}
