using MultiArch.Build.Oci;

namespace MultiArch.Build.Platforms;

/// <summary>
/// One platform a matcher accepts: same OS, architecture and variant after normalization, a
/// compatible Windows version, and no OS feature the wanted platform lacks.
/// </summary>
internal sealed class PlatformPattern
{
    private readonly Platform _platform;
    private readonly WindowsVersion? _windowsHost;

    public PlatformPattern(Platform platform)
    {
        _platform = PlatformNormalizer.Normalize(platform);
        if (_platform.OS == "windows") _windowsHost = WindowsVersion.Parse(_platform.OSVersion);
    }

    /// <summary>
    /// -1 when the candidate does not match; otherwise how many OS features it requires, since
    /// among matches the one asking for more of what the host has is the more specific build.
    /// </summary>
    /// <param name="candidate">A normalized platform.</param>
    public int Rank(Platform candidate)
    {
        if (candidate.OS != _platform.OS
            || candidate.Architecture != _platform.Architecture
            || (candidate.Variant ?? "") != (_platform.Variant ?? "")
            || !VersionMatches(candidate.OSVersion))
        {
            return -1;
        }
        var required = candidate.OSFeatures ?? [];
        var supported = _platform.OSFeatures ?? [];
        return required.All(supported.Contains) ? required.Count : -1;
    }

    /// <summary>Only Windows versions carry meaning for compatibility; other OSes ignore them.</summary>
    private bool VersionMatches(string? candidateVersion)
    {
        if (_windowsHost is not { } host || host.IsEmpty || string.IsNullOrEmpty(candidateVersion)) return true;
        return host.Runs(WindowsVersion.Parse(candidateVersion));
    }
}
