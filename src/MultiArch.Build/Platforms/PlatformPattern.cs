using MultiArch.Build.Oci;

namespace MultiArch.Build.Platforms;

/// <summary>
/// One platform a matcher accepts: same OS, architecture and variant after normalization, a
/// compatible Windows version, and no OS feature the wanted platform lacks.
/// </summary>
internal sealed class PlatformPattern
{
    private readonly Platform platform;
    private readonly WindowsVersion? windowsHost;

    public PlatformPattern(Platform platform)
    {
        this.platform = PlatformNormalizer.Normalize(platform);
        if (this.platform.OS == "windows") windowsHost = WindowsVersion.Parse(this.platform.OSVersion);
    }

    /// <summary>
    /// -1 when the candidate does not match; otherwise how many OS features it requires, since
    /// among matches the one asking for more of what the host has is the more specific build.
    /// </summary>
    /// <param name="candidate">A normalized platform.</param>
    public int Rank(Platform candidate)
    {
        if (candidate.OS != platform.OS
            || candidate.Architecture != platform.Architecture
            || (candidate.Variant ?? "") != (platform.Variant ?? "")
            || !VersionMatches(candidate.OSVersion))
        {
            return -1;
        }
        var required = candidate.OSFeatures ?? [];
        var supported = platform.OSFeatures ?? [];
        return required.All(supported.Contains) ? required.Count : -1;
    }

    /// <summary>Only Windows versions carry meaning for compatibility; other OSes ignore them.</summary>
    private bool VersionMatches(string? candidateVersion)
    {
        if (windowsHost is not { } host || host.IsEmpty || string.IsNullOrEmpty(candidateVersion)) return true;
        return host.Runs(WindowsVersion.Parse(candidateVersion));
    }
}
