using System.Diagnostics.CodeAnalysis;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Platforms;

/// <summary>
/// Which OCI platform a .NET RuntimeIdentifier's output runs on, and which RuntimeIdentifier to
/// publish for a platform. Every Linux RID also has its musl (Alpine) twin, as in the SDK's
/// portable RID graph.
/// </summary>
public static class RidPlatformTable
{
    private sealed record Entry(string Rid, string OS, string Architecture, string? Variant, bool Musl)
    {
        public Platform ToPlatform() => new() { OS = OS, Architecture = Architecture, Variant = Variant };
    }

    private static readonly Entry[] Entries = [.. LinuxEntries(musl: false), .. LinuxEntries(musl: true), .. WindowsEntries()];

    private static readonly Dictionary<string, Entry> ByRid = Entries.ToDictionary(e => e.Rid, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every RuntimeIdentifier with a container platform, in table order.</summary>
    public static IReadOnlyList<string> KnownRids { get; } = Entries.Select(e => e.Rid).ToArray();

    /// <summary>The platform for a RID (a new instance each call); throws MAB1102 for an unknown RID.</summary>
    public static Platform GetPlatform(string rid)
    {
        if (TryGetPlatform(rid, out var platform)) return platform;
        throw new MabException(ErrorCode.UnknownRuntimeIdentifier,
            $"'{rid}' is not a RuntimeIdentifier MultiArch.Build can put in a container image. Use one of: {string.Join(", ", KnownRids)}; or write an OCI platform such as linux/arm64.");
    }

    public static bool TryGetPlatform(string? rid, [NotNullWhen(true)] out Platform? platform)
    {
        platform = rid is not null && ByRid.TryGetValue(rid.Trim(), out var entry) ? entry.ToPlatform() : null;
        return platform is not null;
    }

    /// <summary>The RID spelled as the table spells it (RIDs are matched without regard to case).</summary>
    public static bool TryGetCanonicalRid(string? rid, [NotNullWhen(true)] out string? canonical)
    {
        canonical = rid is not null && ByRid.TryGetValue(rid.Trim(), out var entry) ? entry.Rid : null;
        return canonical is not null;
    }

    public static bool IsMusl(string rid) => rid is not null && ByRid.TryGetValue(rid.Trim(), out var entry) && entry.Musl;

    /// <summary>
    /// The RID whose output runs on <paramref name="platform"/>, chosen by the same rules an
    /// image is chosen by: <c>linux/arm64/v8</c> gives linux-arm64, <c>linux/amd64/v3</c>
    /// linux-x64, <c>linux/arm</c> linux-arm. <paramref name="musl"/> picks the musl RID and only
    /// applies to Linux. Throws MAB1103 when no RID fits.
    /// </summary>
    public static string GetRid(Platform platform, bool musl = false)
    {
        if (TryGetRid(platform, musl, out string? rid)) return rid;
        var known = Entries.Where(e => !e.Musl).Select(e => PlatformFormatter.Format(e.ToPlatform()));
        throw new MabException(ErrorCode.PlatformWithoutRuntimeIdentifier,
            $"No .NET RuntimeIdentifier{(musl ? " for musl" : "")} publishes for {PlatformFormatter.Format(platform)}. Platforms with a RuntimeIdentifier: {string.Join(", ", known)}. RuntimeIdentifiers: {string.Join(", ", KnownRids)}.");
    }

    public static bool TryGetRid(Platform platform, bool musl, [NotNullWhen(true)] out string? rid)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var matcher = PlatformMatcher.For(platform);
        bool wantsMusl = musl && PlatformNormalizer.NormalizeOS(platform.OS) == "linux";
        Entry? best = null;
        foreach (var entry in Entries.Where(e => e.Musl == wantsMusl))
        {
            var candidate = entry.ToPlatform();
            if (!matcher.Matches(candidate)) continue;
            if (best is null || matcher.Compare(candidate, best.ToPlatform()) < 0) best = entry;
        }
        rid = best?.Rid;
        return rid is not null;
    }

    private static IEnumerable<Entry> LinuxEntries(bool musl)
    {
        string prefix = musl ? "linux-musl-" : "linux-";
        yield return new Entry(prefix + "x64", "linux", "amd64", null, musl);
        yield return new Entry(prefix + "arm64", "linux", "arm64", null, musl);
        yield return new Entry(prefix + "arm", "linux", "arm", "v7", musl);
        yield return new Entry(prefix + "armv6", "linux", "arm", "v6", musl);
        yield return new Entry(prefix + "x86", "linux", "386", null, musl);
        yield return new Entry(prefix + "s390x", "linux", "s390x", null, musl);
        yield return new Entry(prefix + "ppc64le", "linux", "ppc64le", null, musl);
        yield return new Entry(prefix + "riscv64", "linux", "riscv64", null, musl);
        yield return new Entry(prefix + "loongarch64", "linux", "loong64", null, musl);
    }

    private static IEnumerable<Entry> WindowsEntries()
    {
        yield return new Entry("win-x64", "windows", "amd64", null, false);
        yield return new Entry("win-arm64", "windows", "arm64", null, false);
        yield return new Entry("win-x86", "windows", "386", null, false);
    }
}
