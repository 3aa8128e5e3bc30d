namespace MultiArch.Build.Layout;

/// <summary>
/// The name a container engine gives an image it loads from a layout or archive this build wrote.
/// <c>podman load</c> and <c>ctr image import</c> both take the name from the
/// <c>io.containerd.image.name</c> annotation of the image's index.json entry; with only a ref name
/// (the tag) podman calls the image <c>localhost/&lt;tag&gt;:latest</c> and ctr <c>import-&lt;date&gt;:&lt;tag&gt;</c>.
/// A name with no registry gets <c>localhost/</c> from podman but is stored as written by ctr, so the
/// name is written with <c>localhost/</c> and both engines list the image under the same name.
/// </summary>
public static class LoadedImageName
{
    /// <summary>The local name of <paramref name="repository"/> (no tag), or null when there is no repository to name it after.</summary>
    public static string? For(string? repository)
    {
        string trimmed = (repository ?? "").Trim().Trim('/');
        return trimmed.Length == 0 ? null : "localhost/" + trimmed;
    }

    /// <summary><c>name:tag</c>, the form both engines list.</summary>
    public static string WithTag(string name, string tag) => name + ":" + tag;
}
