using MultiArch.Build.Diagnostics;
using MultiArch.Build.Registry;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Checks the destination settings before anything is built, so a bad tag or repository fails in a
/// second instead of after every platform has been compiled and published.
/// </summary>
public static class ContainerSettings
{
    public sealed record Checked(string Repository, IReadOnlyList<string> Tags, string? RepositoryWarning);

    public static Checked Check(string repository, string? tags, string? format, string? registry)
    {
        var (normalized, changed) = RepositoryNames.Normalize(repository);
        var parsedTags = ImageTags.ParseList(tags);
        ImageFormats.Parse(format);
        if (!string.IsNullOrWhiteSpace(registry))
            ImageReference.Parse($"{registry.Trim()}/{normalized}");
        string? warning = changed
            ? $"ContainerRepository '{repository}' is not a valid repository name; using '{normalized}'. Set ContainerRepository to a lowercase name to silence this."
            : null;
        return new Checked(normalized, parsedTags, warning);
    }
}
