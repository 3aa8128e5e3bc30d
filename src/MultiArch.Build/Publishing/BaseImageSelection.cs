using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Picks the base image of each wanted platform from one source, with containerd's rules (<see cref="PlatformMatcher"/>),
/// the same way for a registry and a layout: one error names every platform an index lacks, before any image is read;
/// a single-platform base must serve every wanted platform; each chosen image's manifest and config are read and checked,
/// so a missing or tampered one fails before anything is built. A Windows platform gets one base per Windows build the
/// index has (<see cref="WindowsBuilds"/>), or the one of the version it names.
/// </summary>
public static class BaseImageSelection
{
    /// <returns>One base per wanted platform, in order, each with the platform exactly as the base index listed it; for a
    /// Windows platform that stands for several Windows builds, the first of them (<see cref="SelectEveryAsync"/> gives all).</returns>
    public static async Task<IReadOnlyList<BaseImage>> SelectAsync(ImageSourceReader reader, IReadOnlyList<Platform> wanted, CancellationToken cancellationToken) =>
        (await SelectEveryAsync(reader, wanted, cancellationToken).ConfigureAwait(false)).Select(bases => bases[0]).ToList();

    /// <returns>
    /// The bases of each wanted platform, in order: one for a Linux platform; for a Windows platform one per Windows build,
    /// in the index's order, each listed under its own os.version, so one publish makes an image for every Windows host the
    /// base serves. Never empty: a platform without a base is a coded error.
    /// </returns>
    public static async Task<IReadOnlyList<IReadOnlyList<BaseImage>>> SelectEveryAsync(ImageSourceReader reader, IReadOnlyList<Platform> wanted, CancellationToken cancellationToken)
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
            var listed = new List<Descriptor> { new() { Digest = top.Digest, Platform = actual } };
            foreach (var windows in wanted.Where(WindowsBuilds.AppliesTo).Where(p => WindowsBuilds.Select(p, listed).Count == 0))
                throw VersionMissing(source, windows, listed);
            var single = image.ToBase(actual, Origin(source, null, top.Digest));
            return wanted.Select(_ => (IReadOnlyList<BaseImage>)[single]).ToList();
        }

        var index = OciJson.DeserializeIndex(top.Bytes);
        var chosen = wanted.Select(p => Choose(p, index.Manifests)).ToList();
        var missing = wanted.Where((p, i) => chosen[i].Count == 0 && !(WindowsBuilds.AppliesTo(p) && WindowsBuilds.AnyVersion(p, index.Manifests).Count > 0)).ToList();
        if (missing.Count > 0)
        {
            bool one = missing.Count == 1;
            throw new MabException(ErrorCode.BasePlatformNotFound,
                $"Base image {source.Name} has no image for platform{(one ? "" : "s")} {Names(missing)}; it offers {PlatformFormatter.FormatAvailable(index.Manifests)}. " +
                $"Choose a base image that supports {Names(missing)}, give {(one ? "that platform" : "each of them")} its own base with a ContainerPlatform item, or drop {(one ? "it" : "them")} from ContainerPlatforms.");
        }
        int versionMissing = chosen.FindIndex(c => c.Count == 0);
        if (versionMissing >= 0) throw VersionMissing(source, wanted[versionMissing], index.Manifests);

        var bases = new Dictionary<Digest, BaseImage>();
        foreach (var entry in chosen.SelectMany(c => c).DistinctBy(c => c.Digest))
        {
            var child = await reader.ReadChildAsync(top, entry, cancellationToken).ConfigureAwait(false);
            var image = await reader.ReadImageAsync(child, entry, cancellationToken).ConfigureAwait(false);
            bases[entry.Digest] = image.ToBase(entry.Platform, Origin(source, top.Digest, entry.Digest));
        }
        return chosen.Select(c => (IReadOnlyList<BaseImage>)c.Select(d => bases[d.Digest]).ToList()).ToList();
    }

    private static IReadOnlyList<Descriptor> Choose(Platform wanted, IReadOnlyList<Descriptor> manifests) =>
        WindowsBuilds.AppliesTo(wanted)
            ? WindowsBuilds.Select(wanted, manifests)
            : PlatformMatcher.For(wanted).SelectBest(manifests) is { } best ? [best] : [];

    private static MabException VersionMissing(IImageSource source, Platform wanted, IReadOnlyList<Descriptor> manifests)
    {
        var anyVersion = wanted.Clone();
        anyVersion.OSVersion = null;
        string platform = PlatformFormatter.Format(anyVersion);
        return new MabException(ErrorCode.BaseWindowsVersionNotFound,
            $"Base image {source.Name} has no {platform} image for Windows {wanted.OSVersion}; its {platform} images are for os.version {WindowsBuilds.Versions(WindowsBuilds.AnyVersion(wanted, manifests))}. " +
            $"Ask for one of those versions, write {platform} (or its RuntimeIdentifier) without a version to build on every one of them, or choose a base image that has Windows {wanted.OSVersion}.");
    }

    private static BaseImageOrigin? Origin(IImageSource source, Digest? index, Digest manifest) =>
        source.AnnotationName is { } name ? new BaseImageOrigin(name, index, manifest) : null;

    private static string Names(IEnumerable<Platform> platforms) => string.Join(", ", platforms.Select(PlatformFormatter.Format));
}
