using System.Globalization;

namespace MultiArch.Build.Platforms;

/// <summary>
/// The <c>major.minor.build</c> of a Windows <c>os.version</c>, and whether a host of one
/// version runs containers of another. Process-isolated Windows containers need the same build
/// as the host, except that hosts from Windows Server 2022 on also run the previous LTSC
/// (the stable ABI), as containerd's Windows matcher has it.
/// </summary>
internal readonly record struct WindowsVersion(byte Major, byte Minor, ushort Build)
{
    /// <summary>Windows Server 2022, the first build with a stable container ABI.</summary>
    public const ushort Ltsc2022 = 20348;
    /// <summary>Windows Server 2025.</summary>
    public const ushort Ltsc2025 = 26100;

    private static readonly ushort[] StableAbiReleases = [Ltsc2022, Ltsc2025];

    /// <summary>True when no usable version was given; such a matcher accepts any version.</summary>
    public bool IsEmpty => Major == 0 && Minor == 0 && Build == 0;

    /// <summary>
    /// Reads the first three parts; anything shorter or not numeric in range is empty, so an
    /// odd version never makes an image unusable (containerd behaves the same).
    /// </summary>
    public static WindowsVersion Parse(string? osVersion)
    {
        string[] parts = (osVersion ?? "").Split('.');
        if (parts.Length < 3) return default;
        bool ok = byte.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out byte major)
            & byte.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out byte minor)
            & ushort.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out ushort build);
        return ok ? new WindowsVersion(major, minor, build) : default;
    }

    public bool Runs(WindowsVersion container)
    {
        if (Major != container.Major || Minor != container.Minor) return false;
        if (Build < Ltsc2022) return Build == container.Build;
        return OldestRunnableBuild() <= container.Build && container.Build <= Build;
    }

    /// <summary>The newest stable-ABI release older than this host; a host that is itself
    /// an LTSC runs its own build and the LTSC before it.</summary>
    private ushort OldestRunnableBuild()
    {
        for (int i = StableAbiReleases.Length - 1; i >= 0; i--)
        {
            if (Build > StableAbiReleases[i]) return StableAbiReleases[i];
        }
        return Ltsc2022;
    }

    /// <summary>
    /// Orders full <c>os.version</c> strings (revision included) so the newest sorts first;
    /// numeric parts compare as numbers, an absent version sorts last.
    /// </summary>
    public static int CompareNewestFirst(string? a, string? b)
    {
        string[] x = string.IsNullOrEmpty(a) ? [] : a.Split('.');
        string[] y = string.IsNullOrEmpty(b) ? [] : b.Split('.');
        for (int i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            if (i >= x.Length) return 1;
            if (i >= y.Length) return -1;
            int order = ComparePart(x[i], y[i]);
            if (order != 0) return -order;
        }
        return 0;
    }

    private static int ComparePart(string a, string b) =>
        ulong.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out ulong m)
        && ulong.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n)
            ? m.CompareTo(n)
            : string.CompareOrdinal(a, b);
}
