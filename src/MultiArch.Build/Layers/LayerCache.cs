using System.Text.Json;
using MultiArch.Build.Blobs;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Layers;

/// <summary>
/// Remembers which blob each set of layer inputs produced, so an unchanged layer is neither tarred nor
/// compressed again. An entry is a small JSON file named after the inputs' <see cref="LayerFingerprint"/>
/// and holds the written layer's descriptor, diff_id and tar size; the blob itself stays in the blob
/// store. An entry is used only while its blob is still in the store with the recorded size; otherwise,
/// or when the entry cannot be read, the layer is written again and the entry replaced.
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

    /// <summary>The layer for <paramref name="entries"/>: from the cache when its inputs are unchanged, otherwise written by <paramref name="writer"/> and recorded.</summary>
    public async Task<CachedLayerResult> GetOrWriteAsync(IEnumerable<LayerEntry> entries, LayerWriter writer, CancellationToken cancellationToken)
    {
        var arranged = LayerTree.Arrange(entries);
        string fingerprint = LayerFingerprint.Compute(arranged, writer.Options);
        string entryPath = Path.Combine(_directory, fingerprint + ".json");
        if (TryRead(entryPath) is { } cached)
        {
            MarkUsed(entryPath);
            return new CachedLayerResult(cached, FromCache: true);
        }

        // Recorded under the contents the writer actually read: a file replaced after the fingerprint above
        // was taken must not file the new bytes under the old contents' name.
        var contents = new List<TarStreamWriter.FileContent>();
        var written = await writer.WriteArrangedAsync(arranged, _store, contents, cancellationToken).ConfigureAwait(false);
        string writtenFingerprint = LayerFingerprint.Compute(arranged, writer.Options, contents);
        Record(Path.Combine(_directory, writtenFingerprint + ".json"), written);
        return new CachedLayerResult(written, FromCache: false);
    }

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

    private void Record(string entryPath, LayerResult written)
    {
        System.IO.Directory.CreateDirectory(_directory);
        var entry = new LayerCacheEntry(written.Descriptor.MediaType, written.Descriptor.Digest.ToString(), written.Descriptor.Size,
            written.DiffId.ToString(), written.UncompressedSize);
        string temp = entryPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(entry, LayerCacheJson.Default.LayerCacheEntry));
        File.Move(temp, entryPath, overwrite: true); // two platforms sharing a layer may both record it: same content
    }
}

/// <summary>A layer and whether the cache supplied it (nothing was written) or it was written now.</summary>
public sealed record CachedLayerResult(LayerResult Layer, bool FromCache);
