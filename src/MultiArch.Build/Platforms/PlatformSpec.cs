using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Platforms;

/// <summary>
/// Reads the user's ContainerPlatforms entries. Each is a RuntimeIdentifier (<c>linux-x64</c>,
/// <c>linux-musl-arm64</c>) or an OCI platform (<c>linux/arm64</c>, <c>windows(10.0.20348)/amd64</c>).
/// </summary>
/// <remarks>
/// The platform is returned normalized, so both forms of an entry give the same value
/// (<c>linux-arm</c> and <c>linux/arm</c> are both <c>linux/arm/v7</c>) and duplicates are seen
/// whichever way they were written.
/// </remarks>
public static class PlatformSpec
{
    /// <param name="entry">A RID or an OCI platform string.</param>
    /// <param name="musl">For an OCI platform, publish with the musl RID (Alpine bases). A RID entry keeps its own libc.</param>
    public static PlatformTarget Parse(string entry, bool musl = false)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string text = entry.Trim();
        if (RidPlatformTable.TryGetCanonicalRid(text, out string? rid))
        {
            return new PlatformTarget(RidPlatformTable.GetPlatform(rid), rid);
        }
        if (!LooksLikeOciPlatform(text)) RidPlatformTable.GetPlatform(text); // throws the coded unknown-RID error
        var platform = PlatformNormalizer.Normalize(PlatformParser.Parse(text));
        return new PlatformTarget(platform, RidPlatformTable.GetRid(platform, musl));
    }

    /// <summary>
    /// Splits on ';', ',' and whitespace, trims, skips empty entries, and rejects the same platform twice and two platforms
    /// published as one RuntimeIdentifier (MAB1104). Each platform is published once, in a folder of its RuntimeIdentifier's
    /// own, so two that publish one RID would write over each other. For Windows this is the natural mistake
    /// (<c>windows(10.0.17763)/amd64;windows(10.0.20348)/amd64</c>): a Windows platform without a version already makes an
    /// image for every Windows build of its base from one publish (<see cref="WindowsBuilds"/>).
    /// </summary>
    public static IReadOnlyList<PlatformTarget> ParseList(string list, bool musl = false)
    {
        ArgumentNullException.ThrowIfNull(list);
        var targets = new List<PlatformTarget>();
        var seen = new Dictionary<Platform, string>();
        var byRid = new Dictionary<string, PlatformTarget>(StringComparer.OrdinalIgnoreCase);
        foreach (string entry in ListValues.Split(list))
        {
            var target = Parse(entry, musl);
            if (seen.TryGetValue(target.Platform, out string? first))
            {
                throw new MabException(ErrorCode.DuplicatePlatform,
                    $"ContainerPlatforms names {PlatformFormatter.Format(target.Platform)} twice ('{first}' and '{entry}'). An image index holds one image per platform; remove one of them.");
            }
            if (byRid.TryGetValue(target.RuntimeIdentifier, out var sameRid))
            {
                string advice = WindowsBuilds.AppliesTo(target.Platform)
                    ? $"Write {target.RuntimeIdentifier} alone for an image per Windows version of the base, or keep one Windows version."
                    : "Keep one of them.";
                throw new MabException(ErrorCode.DuplicatePlatform,
                    $"ContainerPlatforms names {PlatformFormatter.Format(sameRid.Platform)} and {PlatformFormatter.Format(target.Platform)}, which are both published as {target.RuntimeIdentifier}; each RuntimeIdentifier is published once. {advice}");
            }
            seen.Add(target.Platform, entry);
            byRid.Add(target.RuntimeIdentifier, target);
            targets.Add(target);
        }
        return targets;
    }

    private static bool LooksLikeOciPlatform(string text) => text.Contains('/') || text.Contains('(');
}
