using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Base images from an OCI image layout on disk, named like skopeo names them: <c>oci:&lt;path&gt;[:&lt;ref&gt;]</c>
/// (a directory or a .tar archive). Lets a build run with no registry at all.
/// </summary>
public sealed class LayoutBaseImageResolver : IBaseImageResolver
{
    public const string Scheme = "oci:";

    public static bool Handles(string reference) => reference.StartsWith(Scheme, StringComparison.Ordinal);

    public async Task<IReadOnlyList<BaseImage>> ResolveAsync(string reference, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken)
    {
        var (path, refName) = Split(reference);
        var reader = await OciLayoutReader.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        var top = refName is null ? SingleEntry(reader, reference) : reader.Resolve(refName);
        return platforms.Select(platform => Select(reader, top, platform, reference)).ToList();
    }

    private static BaseImage Select(OciLayoutReader reader, Descriptor top, Platform platform, string reference)
    {
        if (MediaTypes.IsIndex(top.MediaType))
        {
            var index = reader.ReadIndex(top);
            var child = PlatformMatcher.For(platform).Select(index.Manifests, reference);
            return reader.ReadImage(child) with { Platform = child.Platform?.Clone() };
        }
        var image = reader.ReadImage(top);
        var actual = image.Config.ToPlatform();
        if (!PlatformMatcher.For(platform).Matches(actual))
            throw new MabException(ErrorCode.NoMatchingPlatform,
                $"The base image {reference} is a single {actual} image, which cannot run on {platform}. Use a multi-platform base image, or a ContainerPlatform item with a BaseImage for {platform}.");
        return image;
    }

    private static Descriptor SingleEntry(OciLayoutReader reader, string reference) =>
        reader.Index.Manifests.Count == 1 ? reader.Index.Manifests[0]
        : throw new MabException(ErrorCode.NoMatchingPlatform,
            $"The layout {reference} holds {reader.Index.Manifests.Count} images; name one as oci:<path>:<ref> (refs: {string.Join(", ", reader.RefNames)}).");

    private static (string Path, string? RefName) Split(string reference)
    {
        string rest = reference[Scheme.Length..];
        int colon = rest.LastIndexOf(':');
        int slash = rest.LastIndexOfAny(['/', '\\']);
        return colon > slash && colon > 1 ? (rest[..colon], rest[(colon + 1)..]) : (rest, null);
    }
}
