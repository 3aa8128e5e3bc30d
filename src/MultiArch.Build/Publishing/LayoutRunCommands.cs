using MultiArch.Build.Layout;

namespace MultiArch.Build.Publishing;

/// <summary>
/// The commands a publish into a layout directory prints to run the image with podman. skopeo reads the
/// printed <c>oci:&lt;dir&gt;:&lt;tag&gt;</c> as it is, but podman cannot: it names an image it reads through
/// <c>oci:</c> after the directory (<c>localhost/&lt;path&gt;</c>, ignoring the tag and the names in
/// index.json), an image name must be lowercase, and the default layout lies under <c>bin/Release/</c>, so
/// <c>podman run oci:…</c> stops with "repository name must be lowercase". skopeo copies the image into
/// podman's storage under the name <c>podman load</c> would give it, and podman runs that name.
/// </summary>
public static class LayoutRunCommands
{
    public static IEnumerable<string> For(ContainerPublishResult result, ImageDestinationSpec destination)
    {
        bool layoutDirectory = string.IsNullOrEmpty(destination.Registry) && string.IsNullOrEmpty(destination.ArchivePath) && !string.IsNullOrEmpty(destination.LayoutPath);
        string? name = LoadedImageName.For(destination.Repository);
        // Untagged images (push by digest) have no name to copy them under.
        if (!layoutDirectory || name is null || destination.PushByDigest || destination.Tags.Count == 0 || result.References.Count == 0)
            return [];
        string local = LoadedImageName.WithTag(name, destination.Tags[0]);
        return
        [
            $"skopeo copy {ShellQuote(result.References[0])} {ShellQuote("containers-storage:" + local)}",
            $"podman run --rm {ShellQuote(local)}",
        ];
    }

    /// <summary>The word as a POSIX shell reads it back: as is when it is plain, else in single quotes.</summary>
    internal static string ShellQuote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "@%+=:,./_-".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
