using MultiArch.Build.Oci;

namespace MultiArch.Build.Platforms;

/// <summary>
/// Brings a platform to the canonical spelling containerd uses, so that platforms written by
/// different tools (uname, Debian, buildx, Docker) compare equal: <c>x86_64</c> is <c>amd64</c>,
/// <c>aarch64</c> is <c>arm64</c>, <c>armhf</c> is <c>arm/v7</c> and so on.
/// </summary>
/// <remarks>
/// The canonical form leaves out the variant where it is the architecture's baseline
/// (amd64 v1, arm64 v8) but spells out arm's, because <c>linux/arm</c> alone means v7.
/// Unlike containerd, an empty OS stays empty: the host's OS says nothing about an image being built.
/// </remarks>
public static class PlatformNormalizer
{
    public static Platform Normalize(Platform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var normalized = platform.Clone();
        normalized.OS = NormalizeOS(platform.OS);
        var (architecture, variant) = NormalizeArchitecture(platform.Architecture, platform.Variant);
        normalized.Architecture = architecture;
        normalized.Variant = variant.Length == 0 ? null : variant;
        normalized.OSVersion = string.IsNullOrEmpty(platform.OSVersion) ? null : platform.OSVersion;
        normalized.OSFeatures = NormalizeFeatures(platform.OSFeatures);
        return normalized;
    }

    /// <summary>
    /// True when both name one platform however they are spelled (<c>linux/arm64/v8</c> and <c>linux/aarch64</c>):
    /// the test for "the same platform" wherever two entries must not both be listed.
    /// </summary>
    public static bool AreSame(Platform? a, Platform? b) => a is not null && b is not null && Normalize(a).Equals(Normalize(b));

    public static string NormalizeOS(string? os)
    {
        string lower = (os ?? "").ToLowerInvariant();
        return lower == "macos" ? "darwin" : lower;
    }

    public static (string Architecture, string Variant) NormalizeArchitecture(string? architecture, string? variant)
    {
        string arch = (architecture ?? "").ToLowerInvariant();
        string v = (variant ?? "").ToLowerInvariant();
        return arch switch
        {
            "i386" => ("386", ""),
            "x86_64" or "x86-64" or "amd64" => ("amd64", v == "v1" ? "" : v),
            "aarch64" or "arm64" => ("arm64", NormalizeArm64Variant(v)),
            "armhf" => ("arm", "v7"),
            "armel" => ("arm", "v6"),
            "arm" => ("arm", NormalizeArmVariant(v)),
            _ => (arch, v),
        };
    }

    /// <summary>Sorted, without duplicates or blanks; null when nothing is left.</summary>
    public static List<string>? NormalizeFeatures(IEnumerable<string>? features)
    {
        if (features is null) return null;
        var set = new SortedSet<string>(features.Where(f => !string.IsNullOrEmpty(f)), StringComparer.Ordinal);
        return set.Count == 0 ? null : [.. set];
    }

    private static string NormalizeArm64Variant(string variant) => variant switch
    {
        "8" or "v8" or "v8.0" => "",
        "9" or "9.0" or "v9.0" => "v9",
        _ => variant,
    };

    private static string NormalizeArmVariant(string variant) => variant switch
    {
        "" or "7" => "v7",
        "5" or "6" or "8" => "v" + variant,
        _ => variant,
    };
}
