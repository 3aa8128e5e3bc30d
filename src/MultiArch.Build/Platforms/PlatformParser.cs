using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Platforms;

/// <summary>
/// Parses OCI platform strings with containerd's grammar:
/// <c>os[(version[+feature...])]/arch[/variant]</c>, e.g. <c>linux/arm64/v8</c>,
/// <c>windows(10.0.20348)/amd64</c>, <c>linux(+erofs)/amd64</c>,
/// <c>windows(10.0.17763+win32k+gpu)/amd64</c>. Names are normalized as containerd does
/// (<c>Linux/x86_64</c> gives <c>linux/amd64</c>).
/// </summary>
/// <remarks>
/// containerd also accepts a lone OS or architecture and fills the rest in from the host.
/// A build describes images for other machines, so both parts are required here.
/// </remarks>
public static partial class PlatformParser
{
    private const string Shape = "os/architecture[/variant], e.g. linux/amd64 or linux/arm64/v8; a Windows version and OS features go in parentheses after the OS, e.g. windows(10.0.20348)/amd64 or linux(+erofs)/amd64";

    public static Platform Parse(string specifier)
    {
        if (TryParse(specifier, out var platform, out string? problem)) return platform;
        throw new MabException(ErrorCode.InvalidPlatform, $"'{specifier}' is not a valid OCI platform: {problem}. Write it as {Shape}.");
    }

    public static bool TryParse(string? specifier, [NotNullWhen(true)] out Platform? platform) =>
        TryParse(specifier, out platform, out _);

    private static bool TryParse(string? specifier, [NotNullWhen(true)] out Platform? platform, [NotNullWhen(false)] out string? problem)
    {
        platform = null;
        problem = Check(specifier, out string[] parts);
        if (problem is not null) return false;

        var match = OSComponent().Match(parts[0]);
        problem = ReadOSOptions(match.Groups[2].Value, out string? version, out List<string>? features);
        if (problem is not null) return false;

        platform = Build(PlatformNormalizer.NormalizeOS(match.Groups[1].Value), version, features, parts);
        return true;
    }

    private static string? Check(string? specifier, out string[] parts)
    {
        parts = [];
        if (string.IsNullOrEmpty(specifier)) return "it is empty";
        if (specifier.Contains('*')) return "wildcards are not supported";
        parts = specifier.Split('/');
        if (parts.Length == 1) return "both the OS and the architecture are needed";
        if (parts.Length > 3) return "it has more than three parts";
        if (!OSComponent().IsMatch(parts[0])) return $"'{parts[0]}' is not an OS (letters, digits, '_' and '-', then an optional (version+features))";
        string? bad = parts.Skip(1).FirstOrDefault(p => !Component().IsMatch(p));
        return bad is null ? null : $"'{bad}' is not a valid architecture or variant (letters, digits, '_', '.' and '-')";
    }

    /// <summary>Reads <c>version+feature+feature</c>, where the version may be empty.</summary>
    private static string? ReadOSOptions(string options, out string? version, out List<string>? features)
    {
        version = null;
        features = null;
        if (options.Length == 0) return null;
        string[] items = options.Split('+');
        if (items[0].Length > 0)
        {
            if (!Component().IsMatch(items[0])) return $"'{items[0]}' is not a valid OS version";
            version = items[0];
        }
        string? bad = items.Skip(1).FirstOrDefault(f => !Component().IsMatch(f));
        if (bad is not null) return $"'{bad}' is not a valid OS feature";
        features = PlatformNormalizer.NormalizeFeatures(items.Skip(1));
        return null;
    }

    private static Platform Build(string os, string? version, List<string>? features, string[] parts)
    {
        var (architecture, variant) = PlatformNormalizer.NormalizeArchitecture(parts[1], parts.Length == 3 ? parts[2] : "");
        // As containerd: a bare "arm" keeps no variant (v7 is implied), while an explicit
        // "arm64/v8" keeps its variant, so a string round-trips to what the user wrote.
        if (parts.Length == 2 && architecture == "arm" && variant == "v7") variant = "";
        if (parts.Length == 3 && architecture == "arm64" && variant.Length == 0) variant = "v8";
        return new Platform
        {
            OS = os,
            OSVersion = version,
            OSFeatures = features,
            Architecture = architecture,
            Variant = variant.Length == 0 ? null : variant,
        };
    }

    [GeneratedRegex(@"^([A-Za-z0-9_-]+)(?:\(([^)]*)\))?\z")]
    private static partial Regex OSComponent();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+\z")]
    private static partial Regex Component();
}
