using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Layout;

/// <summary>
/// The layout's <c>index.json</c>: the list of top-level manifests and indexes, each named by its
/// ref-name annotation. It is replaced whole through a temp file and a rename, so a reader sees the
/// old list or the new one, never half of either.
/// </summary>
internal static class LayoutIndexFile
{
    public static ImageIndex Read(string layoutRoot)
    {
        string path = Path.Combine(layoutRoot, OciLayoutFormat.IndexFileName);
        if (!File.Exists(path))
        {
            throw new MabException(ErrorCode.NotAnOciLayout,
                $"'{layoutRoot}' has no {OciLayoutFormat.IndexFileName}, so it is not an OCI image layout. Point at a layout directory or archive written by an OCI tool.");
        }
        try
        {
            return OciJson.DeserializeIndex(File.ReadAllBytes(path));
        }
        catch (MabException ex)
        {
            throw new MabException(ErrorCode.NotAnOciLayout, $"'{path}' is not a valid image index: {ex.Message} Rewrite the layout.", ex);
        }
    }

    public static ImageIndex ReadOrEmpty(string layoutRoot) =>
        File.Exists(Path.Combine(layoutRoot, OciLayoutFormat.IndexFileName))
            ? Read(layoutRoot)
            : new ImageIndex { MediaType = MediaTypes.OciIndex };

    /// <summary>
    /// Points each tag at <paramref name="target"/>: an entry with the same ref name is replaced where it
    /// stands, other entries are kept. With no tags, the target is listed once without a name. A tagged
    /// entry also carries the full name (<paramref name="imageName"/>:tag) that podman load and ctr import
    /// give the image (see <see cref="LoadedImageName"/>).
    /// </summary>
    public static void SetEntries(ImageIndex index, Descriptor target, IReadOnlyList<string> tags, string? imageName = null)
    {
        index.MediaType ??= MediaTypes.OciIndex;
        if (tags.Count == 0)
        {
            if (!index.Manifests.Any(m => m.Digest == target.Digest && RefNameOf(m) is null))
                index.Manifests.Add(Entry(target, null, null));
            return;
        }
        foreach (var tag in tags)
        {
            var entry = Entry(target, tag, imageName);
            int existing = index.Manifests.FindIndex(m => RefNameOf(m) == tag);
            if (existing >= 0) index.Manifests[existing] = entry;
            else index.Manifests.Add(entry);
        }
    }

    /// <summary>Lists referrers (artifacts with a <c>subject</c>) once each, with no ref name: they are found by their subject, not by a tag.</summary>
    public static void AddReferrers(ImageIndex index, IEnumerable<Descriptor> listings)
    {
        index.MediaType ??= MediaTypes.OciIndex;
        foreach (var listing in listings)
        {
            if (!index.Manifests.Any(m => m.Digest == listing.Digest && RefNameOf(m) is null)) index.Manifests.Add(listing);
        }
    }

    public static string? RefNameOf(Descriptor entry) =>
        entry.Annotations is not null && entry.Annotations.TryGetValue(OciLayoutFormat.RefNameAnnotation, out var name) ? name : null;

    public static void Write(string layoutRoot, ImageIndex index) =>
        AtomicFile.Write(Path.Combine(layoutRoot, OciLayoutFormat.IndexFileName), OciJson.Serialize(index));

    private static Descriptor Entry(Descriptor target, string? tag, string? imageName)
    {
        var entry = target.Clone();
        entry.Annotations = tag is null ? null : new StringMap { [OciLayoutFormat.RefNameAnnotation] = tag };
        if (tag is not null && imageName is not null) entry.Annotations![OciLayoutFormat.ImageNameAnnotation] = LoadedImageName.WithTag(imageName, tag);
        return entry;
    }
}
