using MultiArch.Build.Oci;

namespace MultiArch.Build.Registry.Pull;

/// <summary>
/// Picks the first index entry whose os and architecture equal the wanted ones, and whose variant
/// and os.version do too when the wanted platform names them. Entries without a platform or with
/// <c>unknown</c> (attestations) never match.
/// </summary>
public sealed class ExactPlatformSelector : IPlatformSelector
{
    public static readonly ExactPlatformSelector Instance = new();

    public Descriptor? Select(Platform wanted, IReadOnlyList<Descriptor> manifests) =>
        manifests.FirstOrDefault(m => m.Platform is { } p && p.OS != "unknown" && Serves(wanted, p));

    public bool Serves(Platform wanted, Platform actual) =>
        string.Equals(wanted.OS, actual.OS, StringComparison.OrdinalIgnoreCase)
        && string.Equals(wanted.Architecture, actual.Architecture, StringComparison.OrdinalIgnoreCase)
        && (string.IsNullOrEmpty(wanted.Variant) || string.Equals(wanted.Variant, actual.Variant, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(wanted.OSVersion) || string.Equals(wanted.OSVersion, actual.OSVersion, StringComparison.OrdinalIgnoreCase));

    public string Describe(IReadOnlyList<Descriptor> manifests)
    {
        var platforms = manifests.Where(m => m.Platform is { OS: not "unknown" }).Select(m => m.Platform!.ToString()).Distinct().ToList();
        return platforms.Count == 0 ? "no platforms" : string.Join(", ", platforms);
    }
}
