using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;

namespace MultiArch.Build.Images;

/// <summary>
/// Builds the image index that lists one image per platform, in the order given. The index is in the
/// same family as its children (OCI index, or Docker manifest list), and each child's platform is
/// carried exactly as its descriptor holds it.
/// </summary>
public static class IndexBuilder
{
    public static IndexArtifact Build(IReadOnlyList<ImageArtifact> children, IReadOnlyDictionary<string, string>? annotations = null)
    {
        if (children.Count == 0)
            throw new MabException(ErrorCode.InvalidIndexChild, "An image index needs at least one image. Build at least one platform image first.");
        var family = FamilyOf(children);
        var seen = new List<Platform>();
        var manifests = new List<Descriptor>();
        foreach (var child in children)
        {
            var platform = RequirePlatform(child);
            if (seen.Any(p => PlatformNormalizer.AreSame(p, platform)))
            {
                throw new MabException(ErrorCode.DuplicateIndexPlatform,
                    $"Two images of the index have platform {platform}. Give each RuntimeIdentifier a distinct platform, or list it only once.");
            }
            seen.Add(platform);
            manifests.Add(child.Descriptor.Clone());
        }
        var index = new ImageIndex
        {
            MediaType = MediaTypes.IndexFor(family),
            Manifests = manifests,
            Annotations = IndexAnnotations(annotations),
        };
        return new IndexArtifact(index, OciJson.Serialize(index), children);
    }

    private static ImageFormat FamilyOf(IReadOnlyList<ImageArtifact> children)
    {
        var families = children.Select(c => MediaTypes.FamilyOf(c.Descriptor.MediaType)).Distinct().ToList();
        if (families.Count > 1)
        {
            string list = string.Join(", ", children.Select(c => $"{c.Descriptor.Platform}: {c.Descriptor.MediaType}"));
            throw new MabException(ErrorCode.MixedIndexFormats,
                $"The index would mix OCI and Docker images ({list}). Build every platform in one format (set ContainerImageFormat) so the index has one family.");
        }
        return families[0];
    }

    private static Platform RequirePlatform(ImageArtifact child) =>
        child.Descriptor.Platform is { OS.Length: > 0, Architecture.Length: > 0 } platform
            ? platform
            : throw new MabException(ErrorCode.InvalidIndexChild,
                $"Image {child.Descriptor.Digest} has no platform (os and architecture). Build it from a base with a platform, so the index can say what it runs on.");

    private static StringMap? IndexAnnotations(IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null || annotations.Count == 0) return null;
        foreach (var key in annotations.Keys) ImageConfigEditor.RequireKey(key, "index annotation");
        return new StringMap(annotations);
    }
}
