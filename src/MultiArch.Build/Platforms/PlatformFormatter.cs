using MultiArch.Build.Oci;

namespace MultiArch.Build.Platforms;

/// <summary>
/// Writes platforms the way containerd and buildx print them:
/// <c>os[(version[+feature...])]/arch[/variant]</c>. The platform is written as given, not
/// normalized, so a message shows what an index really says (<c>linux/arm64/v8</c> stays so).
/// </summary>
public static class PlatformFormatter
{
    public static string Format(Platform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        if (string.IsNullOrEmpty(platform.OS)) return "unknown";
        string os = platform.OS + OSOptions(platform);
        return string.Join('/', new[] { os, platform.Architecture, platform.Variant ?? "" }.Where(p => p.Length > 0));
    }

    /// <summary>
    /// The platforms an index offers, for an error message: <c>linux/amd64, linux/arm64/v8</c>.
    /// Attestation entries (<c>unknown/unknown</c>) and entries without a platform are left out,
    /// since they can never be chosen.
    /// </summary>
    public static string FormatAvailable(IEnumerable<Descriptor> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var names = manifests
            .Where(PlatformMatcher.IsSelectable)
            .Select(d => Format(d.Platform!))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return names.Count == 0 ? "(no platform-specific manifests)" : string.Join(", ", names);
    }

    private static string OSOptions(Platform platform)
    {
        var features = PlatformNormalizer.NormalizeFeatures(platform.OSFeatures) ?? [];
        if (string.IsNullOrEmpty(platform.OSVersion) && features.Count == 0) return "";
        return $"({platform.OSVersion}{string.Concat(features.Select(f => "+" + f))})";
    }
}
