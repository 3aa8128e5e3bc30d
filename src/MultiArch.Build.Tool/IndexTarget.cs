using MultiArch.Build.Registry;

namespace MultiArch.Build.Tool;

/// <summary>
/// Where an index goes, from the --tag references: one registry and repository, and every tag. The first tag
/// is the index an append adds to.
/// </summary>
internal sealed record IndexTarget(string Registry, string Repository, IReadOnlyList<string> Tags)
{
    /// <summary>What is wrong with the --tag references as a set, or null; a reference that does not parse is left for <see cref="From"/> to report with its code.</summary>
    public static string? Problem(IReadOnlyList<string> tagReferences)
    {
        ImageReference? first = null;
        foreach (string text in tagReferences)
        {
            if (ImageReferenceInput.TryParse(text)?.Reference is not { } reference) continue;
            if (reference.Digest is not null)
                return $"--tag '{text}' has a digest; a tag reference is registry/repository:tag (an index gets its digest when it is made).";
            if (reference.Tag is null)
                return $"--tag '{text}' has no tag; write registry/repository:tag, for example {reference}:latest.";
            first ??= reference;
            if (!SameRepository(first, reference))
                return $"--tag '{text}' names {reference.Registry}/{reference.Repository}, but the first --tag names {first.Registry}/{first.Repository}; one index lives in one repository, so every --tag must name the same one.";
        }
        return null;
    }

    /// <summary>The target; call <see cref="Problem"/> first. Warnings (a repository with capitals) go to <paramref name="warn"/>.</summary>
    public static IndexTarget From(IReadOnlyList<string> tagReferences, Action<string> warn)
    {
        var references = tagReferences.Select(text =>
        {
            var parsed = ImageReferenceInput.Parse(text);
            if (parsed.Warning is not null) warn(parsed.Warning);
            return parsed.Reference;
        }).ToList();
        var first = references[0];
        return new IndexTarget(first.Registry, first.Repository, references.Select(r => r.Tag!).Distinct(StringComparer.Ordinal).ToList());
    }

    private static bool SameRepository(ImageReference a, ImageReference b) =>
        string.Equals(a.Registry, b.Registry, StringComparison.OrdinalIgnoreCase) && a.Repository == b.Repository;
}
