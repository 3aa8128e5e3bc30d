using MultiArch.Build.Oci;

namespace MultiArch.Build.Platforms;

/// <summary>
/// Decides which manifests of an index can run on a wanted platform and which is best, with
/// containerd's semantics: variant fallbacks (see <see cref="PlatformFallbacks"/>), OS features
/// that must be a subset of the wanted ones, Windows build compatibility, and among equally good
/// entries the first in the index.
/// </summary>
public sealed class PlatformMatcher
{
    private readonly PlatformPattern[] _patterns;
    private readonly bool _prefersNewestWindowsRevision;

    private PlatformMatcher(Platform wanted, IEnumerable<Platform> acceptable)
    {
        Wanted = wanted.Clone();
        _patterns = acceptable.Select(p => new PlatformPattern(p)).ToArray();
        // With a host version given, several revisions of the same build can match; like
        // containerd on Windows, the newest revision is preferred.
        var normalized = PlatformNormalizer.Normalize(wanted);
        _prefersNewestWindowsRevision = normalized.OS == "windows" && !WindowsVersion.Parse(normalized.OSVersion).IsEmpty;
    }

    /// <summary>The platform this matcher was made for, as given.</summary>
    public Platform Wanted { get; }

    /// <summary>Accepts the wanted platform and everything it can run (containerd's <c>Only</c>).</summary>
    public static PlatformMatcher For(Platform wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        return new PlatformMatcher(wanted, PlatformFallbacks.For(PlatformNormalizer.Normalize(wanted)));
    }

    /// <summary>Accepts only the wanted platform itself, in any spelling (containerd's <c>OnlyStrict</c>).</summary>
    public static PlatformMatcher Strict(Platform wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        return new PlatformMatcher(wanted, [wanted]);
    }

    public bool Matches(Platform? candidate) => RankOf(candidate) is not null;

    /// <summary>Negative when <paramref name="a"/> is the better choice, positive when <paramref name="b"/> is.</summary>
    public int Compare(Platform? a, Platform? b)
    {
        var (x, y) = (RankOf(a), RankOf(b));
        if (x is null || y is null) return (x is null ? 1 : 0) - (y is null ? 1 : 0);
        int order = x.Value.Fallback.CompareTo(y.Value.Fallback);
        if (order == 0) order = y.Value.Features.CompareTo(x.Value.Features);
        if (order == 0 && _prefersNewestWindowsRevision) order = WindowsVersion.CompareNewestFirst(a!.OSVersion, b!.OSVersion);
        return order;
    }

    /// <summary>
    /// The best manifest for the wanted platform, or null. The descriptor is returned as the index
    /// holds it, so the image built on it keeps the index's own platform (e.g. <c>arm64/v8</c>).
    /// </summary>
    public Descriptor? SelectBest(IReadOnlyList<Descriptor> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        Descriptor? best = null;
        foreach (var candidate in manifests.Where(IsSelectable))
        {
            if (!Matches(candidate.Platform)) continue;
            if (best is null || Compare(candidate.Platform, best.Platform) < 0) best = candidate;
        }
        return best;
    }

    /// <summary>
    /// False for entries that describe no runnable image: no platform, buildx's
    /// <c>unknown/unknown</c> attestation manifests, or anything annotated as an attestation.
    /// </summary>
    public static bool IsSelectable(Descriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Platform is not { } platform) return false;
        if (platform.OS == "unknown" || platform.Architecture == "unknown") return false;
        return !Attestations.IsAttestation(descriptor);
    }

    private (int Fallback, int Features)? RankOf(Platform? candidate)
    {
        if (candidate is null || candidate.OS == "unknown" || candidate.Architecture == "unknown") return null;
        var normalized = PlatformNormalizer.Normalize(candidate);
        for (int i = 0; i < _patterns.Length; i++)
        {
            int features = _patterns[i].Rank(normalized);
            if (features >= 0) return (i, features);
        }
        return null;
    }

    public override string ToString() => PlatformFormatter.Format(Wanted);
}
