using MultiArch.Build.Blobs;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Layers;

/// <summary>
/// Writes a layer blob in one streaming pass: entries become a tar, the tar bytes are hashed
/// (diff_id) on their way into the compressor, which compresses fixed-size blocks of it on every
/// core, and the compressed bytes are hashed (digest) in order on their way into a temp file in the
/// blob store, which is then committed under its digest. Memory stays flat however big the layer is.
/// </summary>
/// <remarks>
/// The same entries, source bytes and options give the same tar on every machine: entries sorted
/// by path with every parent directory present, mtime from <see cref="LayerWriterOptions.Mtime"/>
/// (SOURCE_DATE_EPOCH, or 2000-01-01T00:00:00Z), configured uid/gid, empty user and group names,
/// the entries' own modes, and PAX headers named without a process id. The compressed framing is
/// fixed too (<see cref="GzipBlockFormat"/>, <see cref="ZstdBlockFormat"/>), and blocks are cut at
/// fixed offsets, so the digest does not depend on the core count and is the same wherever the same
/// compressor (zlib-ng in .NET 9 and later; the ZstdSharp version this ships with) runs; a different
/// deflate implementation may compress differently, which changes the digest but never the diff_id.
/// <see cref="WriteAsync"/> may run for several layers at once: calls share nothing but the store,
/// which commits each blob under its own digest.
/// </remarks>
public sealed class LayerWriter
{
    private readonly LayerWriterOptions _options;

    public LayerWriter(LayerWriterOptions? options = null)
    {
        _options = options ?? LayerWriterOptions.Default;
        _options.Validate();
    }

    public LayerWriterOptions Options => _options;

    public Task<LayerResult> WriteAsync(IEnumerable<LayerEntry> entries, BlobStore store, CancellationToken cancellationToken) =>
        WriteArrangedAsync(LayerTree.Arrange(entries), store, null, cancellationToken);

    /// <summary>Writes entries already put in order by <see cref="LayerTree.Arrange"/>, reporting each file's content when asked.</summary>
    internal async Task<LayerResult> WriteArrangedAsync(IReadOnlyList<LayerEntry> ordered, BlobStore store, List<TarStreamWriter.FileContent>? contents, CancellationToken cancellationToken)
    {
        var (tempPath, file) = store.CreateTemp();
        try
        {
            LayerResult result;
            await using (file.ConfigureAwait(false))
            {
                result = await WriteBlobAsync(ordered, file, contents, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            store.Commit(tempPath, result.Descriptor.Digest);
            return result;
        }
        catch
        {
            BlobStore.Abandon(tempPath);
            throw;
        }
    }

    /// <summary>
    /// The diff_id and length of the tar <see cref="WriteArrangedAsync"/> would write for these entries, found without
    /// compressing or storing anything: the same tar writer runs into a hash. It lets a build look for a blob that
    /// already holds this tar (in the destination, or in the user's cache) before paying for compression.
    /// </summary>
    internal async Task<TarDigest> HashTarAsync(IReadOnlyList<LayerEntry> ordered, CancellationToken cancellationToken)
    {
        using var tar = new HashingWriteStream(Stream.Null);
        await TarStreamWriter.WriteArchiveAsync(tar, ordered, _options, null, cancellationToken).ConfigureAwait(false);
        return new TarDigest(tar.GetDigest(), tar.BytesWritten);
    }

    private async Task<LayerResult> WriteBlobAsync(IReadOnlyList<LayerEntry> entries, Stream file, List<TarStreamWriter.FileContent>? contents, CancellationToken cancellationToken)
    {
        using var blob = new HashingWriteStream(file);
        using var compressor = _options.IsCompressed ? new ParallelCompressionStream(blob, Format(), _options.EffectiveCompressionThreads) : null;
        // An uncompressed layer's blob is its tar: one hash gives both the digest and the diff_id.
        using var compressedTar = compressor is null ? null : new HashingWriteStream(compressor);
        var tar = compressedTar ?? blob;
        await TarStreamWriter.WriteArchiveAsync(tar, entries, _options, contents, cancellationToken).ConfigureAwait(false);
        if (compressor is not null) await compressor.FinishAsync(cancellationToken).ConfigureAwait(false);
        blob.Flush();

        var diffId = tar.GetDigest();
        var digest = compressor is null ? diffId : blob.GetDigest();
        var descriptor = new Descriptor { MediaType = _options.MediaType, Digest = digest, Size = blob.BytesWritten };
        return new LayerResult(descriptor, diffId, tar.BytesWritten);
    }

    private BlockFormat Format() => _options.Compression switch
    {
        LayerCompression.Zstd => new ZstdBlockFormat(_options.CompressionLevel),
        _ => new GzipBlockFormat(_options.CompressionLevel),
    };
}
