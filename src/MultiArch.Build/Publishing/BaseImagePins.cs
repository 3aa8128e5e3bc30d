using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Pull;

namespace MultiArch.Build.Publishing;

/// <summary>
/// The preflight of a multi-platform publish, before anything is compiled: reads each registry base
/// image's top index (or manifest) once, checks that it has an image for every wanted platform (one
/// error names every missing one), reads each chosen image's manifest and config, and returns the top
/// digest. The images are then built on exactly that digest, so every platform of one build
/// sees the same base even if the tag moves while the build runs. A missing platform, an unknown image,
/// an unreachable registry or refused credentials fail here in a second, not after every platform's publish.
/// </summary>
public static class BaseImagePins
{
    /// <param name="inferred">The references the build chose itself (no ContainerBaseImage): their errors say so, and how to choose another.</param>
    /// <returns>The digest each registry base reference was pinned to; <c>oci:</c> layout bases are not pinned.</returns>
    public static async Task<IReadOnlyDictionary<string, Digest>> ResolveAsync(IReadOnlyList<(string Reference, Platform Platform)> wanted, RegistryClient client,
        IReadOnlySet<string> inferred, CancellationToken cancellationToken)
    {
        var resolver = new BaseImageResolver(client);
        var pins = new Dictionary<string, Digest>(StringComparer.Ordinal);
        foreach (var group in wanted.Where(w => !LayoutBaseImageResolver.Handles(w.Reference)).GroupBy(w => w.Reference, StringComparer.Ordinal))
        {
            try
            {
                pins[group.Key] = await resolver.CheckAsync(ImageReference.Parse(group.Key), group.Select(w => w.Platform), cancellationToken).ConfigureAwait(false);
            }
            catch (MabException ex) when (inferred.Contains(group.Key))
            {
                throw new MabException(ex.Code, ex.Message + $" {group.Key} is the base image inferred for this project; set ContainerBaseImage to a base image you can reach, or ContainerBaseRegistry to a registry that mirrors the dotnet/* images.", ex);
            }
        }
        return pins;
    }
}
