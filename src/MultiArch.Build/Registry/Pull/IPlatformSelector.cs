using MultiArch.Build.Oci;

namespace MultiArch.Build.Registry.Pull;

/// <summary>Picks the image for a platform out of a base image index.</summary>
public interface IPlatformSelector
{
    /// <summary>The index entry that best serves <paramref name="wanted"/>, exactly as the index wrote it, or null.</summary>
    Descriptor? Select(Platform wanted, IReadOnlyList<Descriptor> manifests);

    /// <summary>Whether a single-platform image's own platform (from its config) serves <paramref name="wanted"/>.</summary>
    bool Serves(Platform wanted, Platform actual);

    /// <summary>The platforms an index offers, for an error message.</summary>
    string Describe(IReadOnlyList<Descriptor> manifests);
}
