using MultiArch.Build.Diagnostics;
using MultiArch.Build.Platforms;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Whether the parsed platforms can be built together. Each platform is published once, in a folder of its
/// RuntimeIdentifier's own, so two platforms that publish one RID would write over each other. For Windows this is the
/// natural mistake (<c>windows(10.0.17763)/amd64;windows(10.0.20348)/amd64</c>): a Windows platform without a version
/// already makes an image for every Windows build of its base from one publish (<see cref="WindowsBuilds"/>).
/// </summary>
public static class SupportedPlatforms
{
    public static void Require(IEnumerable<PlatformTarget> targets)
    {
        var byRid = new Dictionary<string, PlatformTarget>(StringComparer.OrdinalIgnoreCase);
        foreach (var target in targets)
        {
            if (!byRid.TryGetValue(target.RuntimeIdentifier, out var first))
            {
                byRid.Add(target.RuntimeIdentifier, target);
                continue;
            }
            string advice = WindowsBuilds.AppliesTo(target.Platform)
                ? $"Write {target.RuntimeIdentifier} alone for an image per Windows version of the base, or keep one Windows version."
                : "Keep one of them.";
            throw new MabException(ErrorCode.DuplicatePlatform,
                $"ContainerPlatforms names {PlatformFormatter.Format(first.Platform)} and {PlatformFormatter.Format(target.Platform)}, which are both published as {target.RuntimeIdentifier}; each RuntimeIdentifier is published once. {advice}");
        }
    }
}
