using System.Text.Json;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Layers;

/// <summary>
/// Remembers which blob each set of layer inputs produced, so an unchanged layer is neither tarred nor
/// compressed again. An entry is a small JSON file named after a key — in <c>obj/</c> the inputs'
/// <see cref="LayerFingerprint"/>, in the <see cref="UserLayerCache"/> the tar's diff_id — and holds the
/// written layer's descriptor, diff_id and tar size; the blob itself stays in the blob store. An entry is
/// used only while its blob is still in the store with the recorded size; otherwise, or when the entry
/// cannot be read, the layer is written again and the entry replaced.
/// </summary>
public sealed class LayerCache
{
    /// <summary>How long a layer nobody used stays in the cache before a publish prunes it.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(7);

    private readonly string _directory;
    private readonly BlobStore _store;

    public LayerCache(string directory, BlobStore store)
    {
        _directory = Path.GetFullPath(directory);
        _store = store;
    }

    public string Directory => _directory;

    /// <summary>The layer recorded for these inputs (entries put in order by <see cref="LayerTree.Arrange"/>) while its blob is still in the store; null otherwise.</summary>
    public LayerResult? Find(IReadOnlyList<LayerEntry> arranged, LayerWriterOptions options) => Find(arranged, options, out _);

    /// <summary>As <see cref="Find(IReadOnlyList{LayerEntry}, LayerWriterOptions)"/>, giving the inputs' fingerprint for <see cref="Adopt"/>.</summary>
    internal LayerResult? Find(IReadOnlyList<LayerEntry> arranged, LayerWriterOptions options, out string fingerprint)
    {
        fingerprint = LayerFingerprint.Compute(arranged, options);
        return Find(fingerprint);
    }

    /// <summary>
    /// Records a layer found elsewhere on this machine (the user's layer cache) under the fingerprint of the inputs it was
    /// found for, copying its blob from <paramref name="from"/> into this cache's store, so the next publish finds it here
    /// as if it had been written. False, with nothing recorded, when the copy fails (the blob vanished, a full disk).
    /// </summary>
    internal bool Adopt(string fingerprint, LayerResult layer, BlobStore from)
    {
        try
        {
            _store.CopyFrom(from, layer.Descriptor.Digest);
            Record(fingerprint, layer);
            return true;
        }
        catch (Exception ex) when (FileSystemFailure.Is(ex))
        {
            return false;
        }
    }

    /// <summary>Writes the layer with <paramref name="writer"/> into the store and records it under its inputs.</summary>
    public async Task<LayerResult> WriteAsync(IReadOnlyList<LayerEntry> arranged, LayerWriter writer, CancellationToken cancellationToken)
    {
        // Recorded under the contents the writer actually read: a file replaced after Find took the fingerprint
        // must not file the new bytes under the old contents' name.
        var contents = new List<TarStreamWriter.FileContent>();
        var written = await writer.WriteArrangedAsync(arranged, _store, contents, cancellationToken).ConfigureAwait(false);
        Record(LayerFingerprint.Compute(arranged, writer.Options, contents), written);
        return written;
    }

    /// <summary>The layer recorded under <paramref name="key"/> while its blob is still in the store (the entry is then marked used); null otherwise.</summary>
    internal LayerResult? Find(string key)
    {
        string entryPath = EntryPath(key);
        if (TryRead(entryPath) is not { } cached) return null;
        MarkUsed(entryPath);
        return cached;
    }

    /// <summary>Records a layer whose blob is in the store under <paramref name="key"/>.</summary>
    internal void Record(string key, LayerResult written) => RecordAt(EntryPath(key), written);

    /// <summary>Whether any layer is recorded at all: with none, nothing can be found.</summary>
    internal bool IsEmpty => !System.IO.Directory.Exists(_directory) || !System.IO.Directory.EnumerateFiles(_directory, "*.json").Any();

    private string EntryPath(string key) => Path.Combine(_directory, key + ".json");

    /// <summary>
    /// Deletes the entries not used for <paramref name="unusedFor"/>, and their blobs unless a kept entry
    /// names the same blob, so the folder does not grow with every code change. Returns how many entries went.
    /// </summary>
    public int Prune(TimeSpan unusedFor, DateTime? now = null)
    {
        if (!System.IO.Directory.Exists(_directory)) return 0;
        var cutoff = (now ?? DateTime.UtcNow) - unusedFor;
        var files = new DirectoryInfo(_directory).GetFiles("*.json");
        var stale = files.Where(f => f.LastWriteTimeUtc < cutoff).ToList();
        // Runs after every publish: entries are read only when some are due, which is rarely.
        if (stale.Count == 0) return 0;
        var kept = files.Except(stale).Select(f => TryReadDigest(f.FullName)).OfType<Digest>().ToHashSet();
        foreach (var file in stale)
        {
            var blob = TryReadDigest(file.FullName);
            file.Delete();
            if (blob is { } digest && !kept.Contains(digest)) File.Delete(_store.PathFor(digest));
        }
        return stale.Count;
    }

    /// <summary>
    /// Deletes the least recently used entries, and their blobs unless a kept entry names the same blob, until the
    /// blobs the kept entries name add up to at most <paramref name="maxBytes"/>. Returns how many entries went.
    /// </summary>
    public int PruneToSize(long maxBytes)
    {
        if (!System.IO.Directory.Exists(_directory)) return 0;
        var entries = new DirectoryInfo(_directory).GetFiles("*.json")
            .Select(f => (File: f, Entry: TryReadEntry(f.FullName)))
            .OrderByDescending(e => e.File.LastWriteTimeUtc)
            .ToList();
        // Sizes come from the entries, not from the blobs; the user cache, the one caller, records few and only large layers.
        if (entries.Sum(e => e.Entry?.Size ?? 0) <= maxBytes) return 0;
        long kept = 0;
        bool full = false;
        var keptDigests = new HashSet<string>(StringComparer.Ordinal);
        var removed = new List<(FileInfo File, LayerCacheEntry? Entry)>();
        foreach (var e in entries)
        {
            long size = e.Entry is { } entry && !keptDigests.Contains(entry.Digest) ? entry.Size : 0;
            // Most recent first; once one does not fit, every older one goes too.
            full |= e.Entry is null || kept + size > maxBytes;
            if (full)
            {
                removed.Add(e);
                continue;
            }
            kept += size;
            keptDigests.Add(e.Entry!.Digest);
        }
        foreach (var (file, entry) in removed)
        {
            file.Delete();
            if (entry is not null && !keptDigests.Contains(entry.Digest) && Digest.TryParse(entry.Digest, out var digest)) File.Delete(_store.PathFor(digest));
        }
        return removed.Count;
    }

    // A hit moves the entry's time forward, so Prune sees which layers are still in use.
    private static void MarkUsed(string entryPath)
    {
        try { File.SetLastWriteTimeUtc(entryPath, DateTime.UtcNow); }
        catch (IOException) { /* only pruning reads this time; a missed update keeps the entry a little less long */ }
    }

    private static Digest? TryReadDigest(string entryPath) =>
        TryReadEntry(entryPath) is { } entry && Digest.TryParse(entry.Digest, out var digest) ? digest : null;

    private LayerResult? TryRead(string entryPath)
    {
        if (TryReadEntry(entryPath) is not { } entry || !Digest.TryParse(entry.Digest, out var digest) || !Digest.TryParse(entry.DiffId, out var diffId)) return null;
        var blob = new FileInfo(_store.PathFor(digest));
        if (!blob.Exists || blob.Length != entry.Size) return null;
        var descriptor = new Descriptor { MediaType = entry.MediaType, Digest = digest, Size = entry.Size };
        return new LayerResult(descriptor, diffId, entry.UncompressedSize);
    }

    /// <summary>The entry at <paramref name="entryPath"/>, or null when it is missing or damaged (it is then rewritten).</summary>
    private static LayerCacheEntry? TryReadEntry(string entryPath)
    {
        try
        {
            return File.Exists(entryPath) ? JsonSerializer.Deserialize(File.ReadAllBytes(entryPath), LayerCacheJson.Default.LayerCacheEntry) : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    private void RecordAt(string entryPath, LayerResult written)
    {
        System.IO.Directory.CreateDirectory(_directory);
        var entry = new LayerCacheEntry(written.Descriptor.MediaType, written.Descriptor.Digest.ToString(), written.Descriptor.Size,
            written.DiffId.ToString(), written.UncompressedSize);
        string temp = entryPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(entry, LayerCacheJson.Default.LayerCacheEntry));
        File.Move(temp, entryPath, overwrite: true); // two platforms sharing a layer may both record it: same content
    }
}
