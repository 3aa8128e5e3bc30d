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
public sealed class LayoutBaseImageResolver : IBaseImageResolver, IDisposable
{
    public const string Scheme = "oci:";

    public static bool Handles(string reference) => reference.StartsWith(Scheme, StringComparison.Ordinal);

    // The readers stay open while the build reads base layers from them; an archive's unpacked copy goes on dispose.
    private readonly List<OciLayoutReader> _readers = [];

    public async Task<IReadOnlyList<BaseImage>> ResolveAsync(string reference, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken)
    {
        var (path, refName) = Split(reference);
        var reader = await OciLayoutReader.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        lock (_readers) _readers.Add(reader);
        var top = refName is null ? SingleEntry(reader, reference) : reader.Resolve(refName);
        if (MediaTypes.IsIndex(top.MediaType))
        {
            var index = reader.ReadIndex(top);
            return platforms.Select(platform =>
            {
                var child = PlatformMatcher.For(platform).Select(index.Manifests, reference);
                return reader.ReadImage(child) with { Platform = child.Platform?.Clone() };
            }).ToList();
        }
        var image = reader.ReadImage(top);
        var actual = image.Config.ToPlatform();
        foreach (var platform in platforms.Where(p => !PlatformMatcher.For(p).Matches(actual)))
            throw new MabException(ErrorCode.NoMatchingPlatform,
                $"The base image {reference} is a single {actual} image, which cannot run on {platform}. Use a multi-platform base image, or a ContainerPlatform item with a BaseImage for {platform}.");
        return platforms.Select(_ => image).ToList();
    }

    public void Dispose()
    {
        lock (_readers)
        {
            foreach (var reader in _readers) reader.Dispose();
            _readers.Clear();
        }
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
