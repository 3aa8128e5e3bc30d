using System.Globalization;
using System.IO.Compression;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Layers;

/// <summary>How <see cref="LayerWriter"/> stamps and compresses a layer. The defaults give the same bytes on every machine.</summary>
public sealed record LayerWriterOptions
{
    /// <summary>
    /// The mtime used when SOURCE_DATE_EPOCH is not set: 2000-01-01T00:00:00Z (946684800 seconds
    /// since the Unix epoch). A fixed, non-zero date, because some tools read an mtime of 0 as
    /// "unknown" and rebuild or warn.
    /// </summary>
    public const long DefaultMtime = 946684800;

    /// <summary>The largest mtime a ustar header holds in its 11 octal digits (year 2242).</summary>
    public const long MaxMtime = (1L << 33) - 1;

    /// <summary>
    /// Seconds since the Unix epoch stamped on every entry. Defaults to SOURCE_DATE_EPOCH when
    /// that environment variable is set, otherwise <see cref="DefaultMtime"/>.
    /// </summary>
    public long Mtime { get; init; } = MtimeFromEnvironment();

    /// <summary>Owner stored on every entry; 0 (root) by default. User and group names are always empty.</summary>
    public int Uid { get; init; }

    public int Gid { get; init; }

    /// <summary>
    /// Optimal by default; Fastest or SmallestSize trade size for time (gzip levels 6, 1 and 9; zstd
    /// levels 3, 1 and 19). Ignored for an uncompressed tar.
    /// </summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Optimal;

    /// <summary>gzip by default; zstd for OCI images only (see <see cref="LayerCompressions.EnsureSupportedBy"/>); None for the plain tar.</summary>
    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;

    /// <summary>
    /// The most blocks of one layer compressed at once; 0 (the default) means one per core, up to
    /// <see cref="MaxDefaultCompressionThreads"/>. All layers share the process's compression threads
    /// (one per core, up to the same limit), so a larger value does not add threads. The layer's bytes
    /// are the same for any value.
    /// </summary>
    public int CompressionThreads { get; init; }

    /// <summary>
    /// The process's compression thread count, and a layer's concurrency when <see cref="CompressionThreads"/>
    /// is 0, on machines with more cores. A layer keeps two 1 MiB blocks in flight per unit of concurrency,
    /// so this bounds each writer's memory on machines with many cores.
    /// </summary>
    public const int MaxDefaultCompressionThreads = 16;

    /// <summary>
    /// Writes a Windows container layer: every entry carries the PAX records Windows' layer importers read
    /// (<see cref="WindowsEntryRecords"/>). The entries' paths are already the layer's own (<c>/Files/app/…</c>,
    /// <c>/Hives</c>), as <see cref="WindowsLayerTree"/> makes them. Off by default, which leaves Linux layers byte for byte as they were.
    /// </summary>
    public bool WindowsLayer { get; init; }

    /// <summary>The OCI media type of the layers written: tar+gzip, tar+zstd or tar. Images in Docker format rename it to Docker's equivalent.</summary>
    public string MediaType => LayerCompressions.MediaTypeOf(Compression);

    public static LayerWriterOptions Default => new();

    /// <summary>Reads SOURCE_DATE_EPOCH (the reproducible-builds convention) or falls back to <see cref="DefaultMtime"/>.</summary>
    public static long MtimeFromEnvironment() => SourceDateEpoch.FromEnvironment() ?? DefaultMtime;

    internal bool IsCompressed => Compression != LayerCompression.None;

    internal int EffectiveCompressionThreads =>
        CompressionThreads > 0 ? CompressionThreads : CompressionWorkers.Count;

    internal void Validate()
    {
        _ = MediaType;
        if (Mtime < 0 || Mtime > MaxMtime)
            throw new MabException(ErrorCode.LayerInvalidMtime, $"The layer mtime {Mtime} is outside 0..{MaxMtime}. Use a Unix timestamp in seconds.");
        if (Uid < 0 || Gid < 0)
            throw new ArgumentOutOfRangeException(nameof(Uid), "uid and gid must not be negative.");
        ArgumentOutOfRangeException.ThrowIfNegative(CompressionThreads);
    }
}
