using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Layers;

/// <summary>
/// Layers compressed on this machine, kept per user and shared by every project, found by the diff_id of their tar.
/// The runtime layer of a self-contained app is the same tar for every app on one runtime version and RID, so a new
/// project, a fresh clone (no <c>obj/</c>), or a CI runner that keeps this folder between jobs finds it compressed.
/// </summary>
/// <remarks>
/// <para>
/// Where: <c>MULTIARCH_CACHE_DIR</c> when set (<c>off</c> turns the cache off); else <c>$XDG_CACHE_HOME/multiarch</c>,
/// else <c>~/.cache/multiarch</c> (<c>%LOCALAPPDATA%\multiarch\cache</c> on Windows). Inside, <c>layers/&lt;format&gt;/</c>
/// holds one <see cref="LayerCache"/> entry per diff_id, and <c>blobs/sha256/</c> the compressed blobs.
/// </para>
/// <para>
/// One folder per output format (compression, level, and a version bumped with the writer's output), because one tar
/// gives a different blob for each: a hit is exactly the blob <see cref="LayerWriter"/> would write now with the same
/// runtime, so the cache makes a build faster and never changes a digest. Only layers of at least
/// <see cref="MinimumTarSize"/> are kept: a smaller one compresses in milliseconds, and an app layer changes with
/// every build. Bounded like the layer cache in <c>obj/</c>: an entry no publish used for 7 days goes with its blob,
/// and each format's folder keeps at most <see cref="DefaultMaxBytes"/> of blobs, the least recently used going first.
/// </para>
/// <para>
/// Several builds may use it at once: entries and blobs appear whole under their names (written beside, then
/// renamed), and a blob pruned between a lookup and its read makes that build write the layer instead.
/// </para>
/// </remarks>
public sealed class UserLayerCache
{
    /// <summary>The environment variable that moves the cache (a folder) or turns it off (<see cref="Off"/>).</summary>
    public const string DirectoryVariable = "MULTIARCH_CACHE_DIR";

    public const string Off = "off";

    /// <summary>The smallest tar (1 MiB) whose layer is kept.</summary>
    public const long MinimumTarSize = 1 << 20;

    /// <summary>The most bytes of blobs one format's folder keeps (2 GiB: some 30 runtime layers).</summary>
    public const long DefaultMaxBytes = 2L << 30;

    // Bump when the writer's output for the same tar changes (as LayerFingerprint's version is), so old blobs stop matching.
    private const string FormatVersion = "v1";

    private static readonly TimeSpan StaleTemp = TimeSpan.FromDays(1);

    public UserLayerCache(string root)
    {
        Root = Path.GetFullPath(root);
        Blobs = new BlobStore(Path.Combine(Root, "blobs"));
    }

    public string Root { get; }

    /// <summary>Where the kept blobs are read from.</summary>
    public BlobStore Blobs { get; }

    /// <summary>The cache the environment names (see the remarks); null when it is turned off or no home folder is known.</summary>
    public static UserLayerCache? FromEnvironment(Func<string, string?>? variables = null)
    {
        variables ??= Environment.GetEnvironmentVariable;
        string? chosen = variables(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(chosen))
            return string.Equals(chosen.Trim(), Off, StringComparison.OrdinalIgnoreCase) ? null : new UserLayerCache(chosen.Trim());
        return DefaultRoot(variables) is { } root ? new UserLayerCache(root) : null;
    }

    private static string? DefaultRoot(Func<string, string?> variables)
    {
        if (OperatingSystem.IsWindows())
        {
            string local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return local.Length == 0 ? null : Path.Combine(local, "multiarch", "cache");
        }
        if (variables("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "multiarch");
        string? home = variables("HOME") is { Length: > 0 } set ? set : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache", "multiarch");
    }

    /// <summary>Whether no layer of this output format is kept, so no lookup can hit.</summary>
    /// <summary>
    /// Whether a layer of <paramref name="entries"/> can be large enough to be kept (<see cref="MinimumTarSize"/>): an upper
    /// bound of its tar from the files' sizes, each rounded up to tar's 512-byte blocks, and a generous 2 KiB of headers
    /// per entry. A smaller layer (the app's, usually) is never looked for, so its files are not read an extra time.
    /// </summary>
    public static bool MayHold(IReadOnlyList<LayerEntry> entries)
    {
        long bound = 1024;
        foreach (var entry in entries)
        {
            bound += 2048;
            if (entry is { Kind: LayerEntryKind.File, SourcePath: { } source }) bound += (new FileInfo(source).Length + 511) / 512 * 512;
            if (bound >= MinimumTarSize) return true;
        }
        return false;
    }

    public bool IsEmpty(LayerWriterOptions options) => Attempt(() => Entries(options).IsEmpty, fallback: true);

    /// <summary>The kept layer whose tar has <paramref name="diffId"/>, written with these options; null when there is none.</summary>
    public LayerResult? Find(Digest diffId, LayerWriterOptions options) => Attempt(() => Entries(options).Find(diffId.Hex), fallback: null);

    /// <summary>
    /// Keeps a layer just written into <paramref name="from"/> (copied, so cleaning <c>obj/</c> does not remove it), when it
    /// is big enough to be worth it. A cache that cannot be written (a full disk, a read-only home) is skipped: false.
    /// </summary>
    public bool Record(LayerResult written, BlobStore from, LayerWriterOptions options)
    {
        if (written.UncompressedSize < MinimumTarSize) return false;
        return Attempt(() =>
        {
            Blobs.CopyFrom(from, written.Descriptor.Digest);
            Entries(options).Record(written.DiffId.Hex, written);
            return true;
        }, fallback: false);
    }

    /// <summary>Prunes every format's folder (see the remarks) and temp files a killed build left; returns how many entries went.</summary>
    public int Prune(TimeSpan unusedFor, long maxBytes = DefaultMaxBytes, DateTime? now = null) => Attempt(() =>
    {
        string layers = Path.Combine(Root, "layers");
        if (!Directory.Exists(layers)) return 0;
        int removed = 0;
        foreach (string folder in Directory.GetDirectories(layers))
        {
            var cache = new LayerCache(folder, Blobs);
            removed += cache.Prune(unusedFor, now) + cache.PruneToSize(maxBytes);
        }
        var cutoff = (now ?? DateTime.UtcNow) - StaleTemp;
        string blobs = Path.Combine(Blobs.Root, Digest.Sha256);
        if (Directory.Exists(blobs))
        {
            foreach (var temp in new DirectoryInfo(blobs).GetFiles(BlobStore.TempPrefix + "*").Where(f => f.LastWriteTimeUtc < cutoff))
                temp.Delete();
        }
        return removed;
    }, fallback: 0);

    private LayerCache Entries(LayerWriterOptions options) =>
        new(Path.Combine(Root, "layers", $"{FormatVersion}-{options.Compression}-{options.CompressionLevel}".ToLowerInvariant()), Blobs);

    // The cache only saves time: a file-system failure (another build pruning, a read-only home, a full disk) is a miss.
    private static T Attempt<T>(Func<T> action, T fallback)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (FileSystemFailure.Is(ex))
        {
            return fallback;
        }
    }
}
