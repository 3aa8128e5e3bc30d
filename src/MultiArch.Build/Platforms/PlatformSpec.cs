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

    /// <summary>Splits on ';', ',' and whitespace, trims, skips empty entries and rejects the same platform twice (MAB1104).</summary>
    public static IReadOnlyList<PlatformTarget> ParseList(string list, bool musl = false)
    {
        ArgumentNullException.ThrowIfNull(list);
        var targets = new List<PlatformTarget>();
        var seen = new Dictionary<Platform, string>();
        foreach (string entry in ListValues.Split(list))
        {
            var target = Parse(entry, musl);
            if (seen.TryGetValue(target.Platform, out string? first))
            {
                throw new MabException(ErrorCode.DuplicatePlatform,
                    $"ContainerPlatforms names {PlatformFormatter.Format(target.Platform)} twice ('{first}' and '{entry}'). An image index holds one image per platform; remove one of them.");
            }
            seen.Add(target.Platform, entry);
            targets.Add(target);
        }
        return targets;
    }

    private static bool LooksLikeOciPlatform(string text) => text.Contains('/') || text.Contains('(');
}
