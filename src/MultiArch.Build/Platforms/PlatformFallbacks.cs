using System.Globalization;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Platforms;

/// <summary>
/// The platforms a machine of a given platform can run, best first (containerd's
/// <c>platforms.Only</c> vector):
/// amd64/vN runs vN..v1 then 386; arm/vN runs vN..v5; arm64/v8.x runs v8.x..v8;
/// arm64/v9.x runs v9.x..v9 then v8.(x+5)..v8 (v9.0 branched from v8.5); every arm64 then runs
/// arm/v8..v5 (32-bit).
/// </summary>
internal static class PlatformFallbacks
{
    private const int MaxArm64V8Minor = 9;
    private const int MaxArm64V9Minor = 7;

    /// <param name="platform">A normalized platform.</param>
    public static List<Platform> For(Platform platform) => platform.Architecture switch
    {
        "amd64" => Amd64(platform),
        "arm" => Arm(platform),
        "arm64" => Arm64(platform),
        _ => [platform],
    };

    private static List<Platform> Amd64(Platform platform)
    {
        var vector = new List<Platform> { platform };
        if (TryLevel(platform.Variant, out int level))
        {
            for (int v = level - 1; v >= 1; v--) vector.Add(With(platform, "amd64", "v" + v));
        }
        vector.Add(With(platform, "386", null));
        return vector;
    }

    private static List<Platform> Arm(Platform platform)
    {
        var vector = new List<Platform> { platform };
        if (TryLevel(platform.Variant, out int level))
        {
            for (int v = level - 1; v >= 5; v--) vector.Add(With(platform, "arm", "v" + v));
        }
        return vector;
    }

    private static List<Platform> Arm64(Platform platform)
    {
        string variant = string.IsNullOrEmpty(platform.Variant) ? "v8" : platform.Variant;
        // containerd matches nothing for an arm64 variant it does not know; an entry that says
        // exactly what was asked for is still the right one, so it alone is kept.
        if (!TryArm64Version(variant, out int major, out int minor)) return [platform];

        var vector = new List<Platform>();
        if (major == 9)
        {
            AddArm64Minors(vector, platform, 9, minor);
            minor = Math.Min(minor + 5, MaxArm64V8Minor);
        }
        AddArm64Minors(vector, platform, 8, minor);
        vector.AddRange(Arm(With(platform, "arm", "v8")));
        return vector;
    }

    private static void AddArm64Minors(List<Platform> vector, Platform platform, int major, int fromMinor)
    {
        for (int minor = fromMinor; minor >= 0; minor--)
        {
            vector.Add(With(platform, "arm64", minor == 0 ? $"v{major}" : $"v{major}.{minor}"));
        }
    }

    private static bool TryArm64Version(string variant, out int major, out int minor)
    {
        major = minor = 0;
        if (!variant.StartsWith('v')) return false;
        string[] parts = variant[1..].Split('.');
        if (parts.Length > 2 || !TryNumber(parts[0], out major)) return false;
        if (parts.Length == 2 && !TryNumber(parts[1], out minor)) return false;
        return (major == 8 && minor <= MaxArm64V8Minor) || (major == 9 && minor <= MaxArm64V9Minor);
    }

    private static bool TryLevel(string? variant, out int level)
    {
        level = 0;
        return variant is not null && TryNumber(variant.StartsWith('v') ? variant[1..] : variant, out level);
    }

    private static bool TryNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static Platform With(Platform platform, string architecture, string? variant)
    {
        var copy = platform.Clone();
        copy.Architecture = architecture;
        copy.Variant = variant;
        return copy;
    }
}
