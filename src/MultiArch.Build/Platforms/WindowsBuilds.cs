using MultiArch.Build.Oci;

namespace MultiArch.Build.Platforms;

/// <summary>
/// Which images of a base index a Windows platform is built on. A process-isolated Windows container runs only on a host
/// of its own build (see <see cref="WindowsVersion"/>), so a base such as the .NET images lists one image per Windows
/// Server version, told apart by <c>os.version</c>, and one tag serves every Windows host only when it holds an image for
/// each. A Windows platform without a version (<c>win-x64</c>, <c>windows/amd64</c>) therefore stands for every Windows
/// build the base has, one image each; with a version (<c>windows(10.0.20348)/amd64</c>) for that build alone, compared as
/// major.minor.build the way containerd compares a host with an image. Among images of one build (revisions), the newest
/// is taken, as containerd prefers it. The images keep the base's <c>os.version</c> and <c>os.features</c>, in their
/// configs and in the index.
/// </summary>
public static class WindowsBuilds
{
    public static bool AppliesTo(Platform wanted) => PlatformNormalizer.NormalizeOS(wanted.OS) == "windows";

    /// <summary>
    /// The entries of <paramref name="manifests"/> to build <paramref name="wanted"/> on, one per Windows build, in the
    /// index's order; empty when the index has none for it.
    /// </summary>
    public static IReadOnlyList<Descriptor> Select(Platform wanted, IReadOnlyList<Descriptor> manifests)
    {
        var target = WindowsVersion.Parse(wanted.OSVersion);
        bool any = string.IsNullOrEmpty(wanted.OSVersion);
        return AnyVersion(wanted, manifests)
            // A version that is no major.minor.build must be found as written: it never widens to every build.
            .Where(d => any || (target.IsEmpty ? d.Platform!.OSVersion == wanted.OSVersion : WindowsVersion.Parse(d.Platform!.OSVersion) == target))
            // One image per build and set of OS features: images that differ in either serve different hosts.
            .GroupBy(d => (WindowsVersion.Parse(d.Platform!.OSVersion), string.Join('+', PlatformNormalizer.NormalizeFeatures(d.Platform.OSFeatures) ?? [])))
            .Select(build => build.OrderBy(d => d, NewestFirst).First())
            .ToList();
    }

    /// <summary>
    /// The entries that are <paramref name="wanted"/> whatever their Windows version: the same OS, architecture and
    /// variant. Unlike the matcher for a Linux platform, no fallback architecture counts: a win-x64 publish is no
    /// windows/386 image. OS features (<c>win32k</c>) are those of the base's image, which ours keeps: a platform that
    /// names none takes every image, and one that names some takes the images that need no other, as containerd matches.
    /// </summary>
    public static IReadOnlyList<Descriptor> AnyVersion(Platform wanted, IReadOnlyList<Descriptor> manifests)
    {
        var want = PlatformNormalizer.Normalize(wanted);
        return manifests.Where(d => PlatformMatcher.IsSelectable(d) && Fits(want, PlatformNormalizer.Normalize(d.Platform!))).ToList();
    }

    private static bool Fits(Platform want, Platform candidate) =>
        candidate.OS == want.OS
        && candidate.Architecture == want.Architecture
        && (candidate.Variant ?? "") == (want.Variant ?? "")
        && (want.OSFeatures is null || (candidate.OSFeatures ?? []).All(want.OSFeatures.Contains));

    /// <summary>The os.version values of <paramref name="entries"/>, for a message: <c>10.0.17763.5458, 10.0.20348.2340</c>.</summary>
    public static string Versions(IEnumerable<Descriptor> entries)
    {
        var versions = entries.Select(d => d.Platform?.OSVersion).Where(v => !string.IsNullOrEmpty(v)).Distinct(StringComparer.Ordinal).ToList();
        return versions.Count == 0 ? "no os.version" : string.Join(", ", versions);
    }

    private static readonly Comparer<Descriptor> NewestFirst =
        Comparer<Descriptor>.Create((a, b) => WindowsVersion.CompareNewestFirst(a.Platform?.OSVersion, b.Platform?.OSVersion));
}
