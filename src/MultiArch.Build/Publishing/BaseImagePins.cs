using MultiArch.Build.Diagnostics;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;
using MultiArch.Build.Sources;

namespace MultiArch.Build.Publishing;

/// <summary>
/// The preflight of a multi-platform publish, before anything is compiled: picks every platform's base with
/// <see cref="BaseImageSelection"/> (one read of each base's top document; one error names every missing platform;
/// each chosen manifest and config is read and checked) and returns the digest each registry base's top document has
/// now. The images are then built on exactly that digest, so every platform of one build sees the same base even if
/// the tag moves while the build runs. A missing platform or image, a broken layout, an unreachable registry or
/// refused credentials fail here in a second, not after every platform's publish.
/// </summary>
public static class BaseImagePins
{
    /// <param name="inferred">The references the build chose itself (no ContainerBaseImage): their errors say so, and how to choose another.</param>
    /// <returns>The digest each registry base reference was pinned to; <c>oci:</c> layout bases are checked but not pinned.</returns>
    public static async Task<IReadOnlyDictionary<string, Digest>> ResolveAsync(IReadOnlyList<(string Reference, Platform Platform)> wanted, ImageSources sources,
        IReadOnlySet<string> inferred, CancellationToken cancellationToken)
    {
        var pins = new Dictionary<string, Digest>(StringComparer.Ordinal);
        foreach (var group in wanted.GroupBy(w => w.Reference, StringComparer.Ordinal))
        {
            try
            {
                var reader = await sources.OpenAsync(group.Key, pin: null, cancellationToken).ConfigureAwait(false);
                await BaseImageSelection.SelectAsync(reader, group.Select(w => w.Platform).ToList(), cancellationToken).ConfigureAwait(false);
                if (!LayoutImageSource.Handles(group.Key) && reader.TopDigest is { } top) pins[group.Key] = top;
            }
            catch (MabException ex) when (inferred.Contains(group.Key))
            {
                throw new MabException(ex.Code, ex.Message + $" {group.Key} is the base image inferred for this project; set ContainerBaseImage to a base image you can reach, or ContainerBaseRegistry to a registry that mirrors the dotnet/* images.", ex);
            }
        }
        return pins;
    }
}
