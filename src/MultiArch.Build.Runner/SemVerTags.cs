using MultiArch.Build.Diagnostics;
using MultiArch.Build.Publishing;
using NuGet.Versioning;

namespace MultiArch.Build.Runner;

/// <summary>
/// The tags a release gets from its version, as docker/metadata-action's semver patterns give them:
/// <c>1.2.3</c> gives 1.2.3, 1.2, 1 and latest; a prerelease (<c>1.3.0-rc.1</c>) gives only itself, so
/// it never moves a stable tag; a 0.x version gets no bare <c>0</c>, since 0.x releases promise no
/// compatibility. Build metadata is dropped: '+' cannot be in a tag. Not in the core, which needs no
/// NuGet.Versioning: in process MSBuild's own copy serves, and the runner ships one for its own process.
/// </summary>
public static class SemVerTags
{
    public static IReadOnlyList<string> Expand(string? version)
    {
        if (!NuGetVersion.TryParse(version?.Trim(), out var parsed))
            throw new MabException(ErrorCode.InvalidSemVerVersion,
                $"ContainerSemVerTags is on, but Version '{version}' is not a semantic version. Set Version (or -p:Version=) to MAJOR.MINOR.PATCH[-prerelease], for example 1.2.3 or 1.3.0-rc.1.");
        string full = parsed.ToNormalizedString();
        int plus = full.IndexOf('+');
        if (plus >= 0) full = full[..plus];

        var tags = new List<string> { full };
        if (!parsed.IsPrerelease)
        {
            tags.Add($"{parsed.Major}.{parsed.Minor}");
            if (parsed.Major > 0) tags.Add($"{parsed.Major}");
            tags.Add("latest");
        }
        var distinct = tags.Distinct(StringComparer.Ordinal).ToList();
        foreach (var tag in distinct) Check(tag, version);
        return distinct;
    }

    private static void Check(string tag, string? version)
    {
        try { ImageTags.Validate(tag); }
        catch (MabException)
        {
            throw new MabException(ErrorCode.InvalidSemVerTag,
                $"Version '{version}' gives tag '{tag}', which is not a valid image tag (at most 128 letters, digits, '_', '.' and '-'). Shorten the prerelease label, or set ContainerImageTags yourself and turn ContainerSemVerTags off.");
        }
    }
}
