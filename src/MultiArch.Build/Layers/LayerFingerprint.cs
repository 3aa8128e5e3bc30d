using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace MultiArch.Build.Layers;

/// <summary>
/// A sha256 over everything that decides a layer's bytes: the writer's options (compression, which also
/// decides the media type; compression level, mtime, uid, gid, Windows records; not the thread count, which never changes
/// the bytes) and, for every entry in the order it is written, its path, kind, mode, link target, size and
/// the sha256 of its content.
/// </summary>
/// <remarks>
/// Content is hashed rather than trusted by mtime: a fresh clone, a CI checkout or a rebuild that
/// rewrites identical files gets new mtimes, and the cache must still hit. Hashing reads each file
/// once (sha256 runs at well over 1 GB/s with the CPU's SHA extensions, against roughly 50 MB/s for
/// gzip at the optimal level), so a hit costs a small fraction of writing the layer again.
/// </remarks>
internal static class LayerFingerprint
{
    // Bump when the writer's output for the same inputs changes, so old cache entries stop matching.
    // v2: gzip layers are compressed in independent 1 MiB blocks, so their digests changed.
    // v3: the media type is no longer hashed beside the compression it follows from.
    private const string FormatVersion = "multiarch.build/layer-fingerprint/v3";

    /// <summary>The fingerprint of the files as they are on disk now: each file is read and hashed.</summary>
    public static string Compute(IReadOnlyList<LayerEntry> arranged, LayerWriterOptions options) =>
        Compute(arranged, options, ReadContents(arranged));

    /// <summary>
    /// The fingerprint of a layer from the size and sha256 of each file, in entry order — the ones read
    /// above, or the ones <see cref="LayerWriter"/> saw while it wrote the layer.
    /// </summary>
    public static string Compute(IReadOnlyList<LayerEntry> arranged, LayerWriterOptions options, IEnumerable<TarStreamWriter.FileContent> contents)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var files = contents.GetEnumerator();
        Add(hash, FormatVersion);
        Add(hash, options.Compression.ToString());
        Add(hash, options.CompressionLevel.ToString());
        Add(hash, options.Mtime);
        Add(hash, options.Uid);
        Add(hash, options.Gid);
        // Only a Windows layer adds this, so the fingerprints of Linux layers (and the cache entries under them) stay as they were.
        if (options.WindowsLayer) Add(hash, "windows");
        foreach (var entry in arranged)
        {
            Add(hash, entry.ImagePath);
            Add(hash, (long)entry.Kind);
            Add(hash, (long)entry.Mode);
            Add(hash, entry.LinkTarget ?? "");
            if (entry.Kind != LayerEntryKind.File) continue;
            if (!files.MoveNext()) throw new InvalidOperationException("Fewer file contents than file entries.");
            Add(hash, files.Current.Size);
            hash.AppendData(files.Current.Sha256);
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static IEnumerable<TarStreamWriter.FileContent> ReadContents(IReadOnlyList<LayerEntry> arranged)
    {
        foreach (var entry in arranged.Where(e => e.Kind == LayerEntryKind.File))
        {
            using SafeFileHandle handle = TarStreamWriter.Open(entry.SourcePath!, entry.ImagePath);
            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0, isAsync: true);
            yield return new TarStreamWriter.FileContent(stream.Length, SHA256.HashData(stream));
        }
    }

    // Every value is length-prefixed, so no two different entry lists hash the same bytes.
    private static void Add(IncrementalHash hash, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        Add(hash, bytes.Length);
        hash.AppendData(bytes);
    }

    private static void Add(IncrementalHash hash, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
        hash.AppendData(buffer);
    }
}
