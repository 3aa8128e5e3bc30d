using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Finds the base image for each wanted platform. One call per base reference: the index is read once
/// and every platform is picked from it, so all platforms of a build share one view of the base.
/// </summary>
public interface IBaseImageResolver
{
    /// <summary>Returns one base per wanted platform, in the same order, each carrying the platform exactly as the base index wrote it.</summary>
    Task<IReadOnlyList<BaseImage>> ResolveAsync(string reference, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken);
}
