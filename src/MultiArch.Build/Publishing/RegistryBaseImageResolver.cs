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
                Origin = new BaseImageOrigin(NameOf(parsed), resolved.Index?.Digest, resolved.Descriptor.Digest),
            });
        }
        return result;
    }

    /// <summary>The base's name for annotations: a tag reference stays a tag reference even when the build pinned its digest.</summary>
    private static string NameOf(ImageReference reference) =>
        reference.Tag is not null && reference.Digest is not null ? (reference with { Digest = null }).ToString() : reference.ToString();
}
