using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Picks the base image of each wanted platform from one source, with containerd's rules (<see cref="PlatformMatcher"/>),
/// the same way for a registry and a layout: one error names every platform an index lacks, before any image is read;
/// a single-platform base must serve every wanted platform; each chosen image's manifest and config are read and checked,
/// so a missing or tampered one fails before anything is built.
/// </summary>
public static class BaseImageSelection
{
    /// <returns>One base per wanted platform, in order, each with the platform exactly as the base index listed it.</returns>
    public static async Task<IReadOnlyList<BaseImage>> SelectAsync(ImageSourceReader reader, IReadOnlyList<Platform> wanted, CancellationToken cancellationToken)
    {
        var source = reader.Source;
        var top = await reader.ReadTopAsync(where => new MabException(ErrorCode.BaseImageNotFound,
            $"Base image {source.Name} was not found: {where}."), cancellationToken).ConfigureAwait(false);
        if (!top.IsIndex)
        {
            var image = await reader.ReadImageAsync(top, null, cancellationToken).ConfigureAwait(false);
            var actual = image.Config.ToPlatform();
            var wrong = wanted.Where(p => !PlatformMatcher.For(p).Matches(actual)).ToList();
            if (wrong.Count > 0)
                throw new MabException(ErrorCode.BasePlatformMismatch,
                    $"Base image {source.Name} is a single-platform image for {actual}, not {Names(wrong)}. Use a multi-platform base image, or give {Names(wrong)} a base built for it with a ContainerPlatform item.");
            var single = image.ToBase(actual, Origin(source, null, top.Digest));
            return wanted.Select(_ => single).ToList();
        }

        var index = OciJson.DeserializeIndex(top.Bytes);
        var chosen = wanted.Select(p => PlatformMatcher.For(p).SelectBest(index.Manifests)).ToList();
        var missing = wanted.Where((_, i) => chosen[i] is null).ToList();
        if (missing.Count > 0)
        {
            bool one = missing.Count == 1;
            throw new MabException(ErrorCode.BasePlatformNotFound,
                $"Base image {source.Name} has no image for platform{(one ? "" : "s")} {Names(missing)}; it offers {PlatformFormatter.FormatAvailable(index.Manifests)}. " +
                $"Choose a base image that supports {Names(missing)}, give {(one ? "that platform" : "each of them")} its own base with a ContainerPlatform item, or drop {(one ? "it" : "them")} from ContainerPlatforms.");
        }
        var bases = new Dictionary<Digest, BaseImage>();
        foreach (var entry in chosen.Select(c => c!).DistinctBy(c => c.Digest))
        {
            var child = await reader.ReadChildAsync(top, entry, cancellationToken).ConfigureAwait(false);
            var image = await reader.ReadImageAsync(child, entry, cancellationToken).ConfigureAwait(false);
            bases[entry.Digest] = image.ToBase(entry.Platform, Origin(source, top.Digest, entry.Digest));
        }
        return chosen.Select(c => bases[c!.Digest]).ToList();
    }

    private static BaseImageOrigin? Origin(IImageSource source, Digest? index, Digest manifest) =>
        source.AnnotationName is { } name ? new BaseImageOrigin(name, index, manifest) : null;

    private static string Names(IEnumerable<Platform> platforms) => string.Join(", ", platforms.Select(PlatformFormatter.Format));
}
