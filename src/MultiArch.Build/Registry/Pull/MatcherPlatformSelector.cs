using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;

namespace MultiArch.Build.Registry.Pull;

/// <summary>
/// Picks platforms with containerd's rules (<see cref="PlatformMatcher"/>): variant fallbacks such
/// as arm/v7 running on arm/v8, normalized spellings (aarch64, x86_64), Windows build
/// compatibility, and the first of equally good entries.
/// </summary>
public sealed class MatcherPlatformSelector : IPlatformSelector
{
    public static readonly MatcherPlatformSelector Instance = new();

    public Descriptor? Select(Platform wanted, IReadOnlyList<Descriptor> manifests) => PlatformMatcher.For(wanted).SelectBest(manifests);

    public bool Serves(Platform wanted, Platform actual) => PlatformMatcher.For(wanted).Matches(actual);

    public string Describe(IReadOnlyList<Descriptor> manifests) => PlatformFormatter.FormatAvailable(manifests);
}
