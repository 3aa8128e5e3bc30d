using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Layers;

/// <summary>
/// Writes layer entries as a tar stream: headers from <see cref="TarHeaderEncoder"/>, file content
/// streamed from disk in large chunks, and the two zero blocks that end an archive. Every entry
/// gets the configured mtime, uid and gid, and empty user and group names; in a Windows layer
/// (<see cref="LayerWriterOptions.WindowsLayer"/>) also the PAX records Windows reads (<see cref="WindowsEntryRecords"/>).
/// </summary>
internal sealed class TarStreamWriter : IDisposable
{
    // Large chunks keep per-call overhead in the compressor and hashes negligible; two of them let
    // the next read run while the current chunk is being compressed.
    private const int ChunkSize = 1 << 20;

    private static readonly byte[] ZeroBlock = new byte[UstarBlock.Size];

    private readonly Stream _output;
    private readonly LayerWriterOptions _options;
    private readonly byte[] _scratch = new byte[UstarBlock.Size];
    private readonly byte[] _current = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private readonly byte[] _next = ArrayPool<byte>.Shared.Rent(ChunkSize);

    private readonly List<FileContent>? _contents;

    /// <param name="contents">When given, receives each file's size and sha256 as its bytes are written, in entry order.</param>
    public TarStreamWriter(Stream output, LayerWriterOptions options, List<FileContent>? contents = null)
    {
        _output = output;
        _options = options;
        _contents = contents;
    }

    /// <summary>Writes entries already put in order by <see cref="LayerTree.Arrange"/> as a whole archive: a layer, or a layout's tar.</summary>
    /// <param name="contents">When given, receives each file's size and sha256 as its bytes are written, in entry order.</param>
    public static async Task WriteArchiveAsync(Stream output, IReadOnlyList<LayerEntry> arranged, LayerWriterOptions options, List<FileContent>? contents, CancellationToken cancellationToken)
    {
        using var writer = new TarStreamWriter(output, options, contents);
        foreach (var entry in arranged)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        writer.Finish();
    }

    public async Task WriteAsync(LayerEntry entry, CancellationToken cancellationToken)
    {
        string name = entry.ImagePath.TrimStart('/');
        var records = _options.WindowsLayer ? WindowsEntryRecords.For(entry) : null;
        switch (entry.Kind)
        {
            case LayerEntryKind.Directory:
                WriteHeader(name + "/", TarHeader.DirectoryType, entry.Mode, 0, null, records);
                break;
            case LayerEntryKind.Symlink:
                WriteHeader(name, TarHeader.SymbolicLink, entry.Mode, 0, entry.LinkTarget, records);
                break;
            default:
                await WriteFileAsync(name, entry, records, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Ends the archive with two zero blocks.</summary>
    public void Finish()
    {
        _output.Write(ZeroBlock);
        _output.Write(ZeroBlock);
    }

    private void WriteHeader(string name, byte type, UnixFileMode mode, long size, string? link, IReadOnlyList<KeyValuePair<string, string>>? records) =>
        TarHeaderEncoder.Write(_output, new TarHeader(name, type, mode, size, _options.Mtime, _options.Uid, _options.Gid, link, records), _scratch);

    private async Task WriteFileAsync(string name, LayerEntry entry, IReadOnlyList<KeyValuePair<string, string>>? records, CancellationToken cancellationToken)
    {
        string source = entry.SourcePath!;
        using SafeFileHandle handle = Open(source, entry.ImagePath);
        // The size comes from the open handle, so a file replaced between planning and writing is
        // still written whole; a file that changes while it is read is caught below.
        long size = RandomAccess.GetLength(handle);
        WriteHeader(name, TarHeader.RegularFile, entry.Mode, size, null, records);
        using var hash = _contents is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await CopyContentAsync(handle, size, source, hash, cancellationToken).ConfigureAwait(false);
        if (RandomAccess.Read(handle, _scratch.AsSpan(0, 1), size) != 0)
            throw Changed(source, size, "grew");
        _output.Write(ZeroBlock, 0, TarHeaderEncoder.Padding(size));
        if (hash is not null) _contents!.Add(new FileContent(size, hash.GetHashAndReset()));
    }

    private async Task CopyContentAsync(SafeFileHandle handle, long size, string source, IncrementalHash? hash, CancellationToken cancellationToken)
    {
        byte[] current = _current, next = _next;
        long offset = 0;
        ValueTask<int> pending = ReadChunk(handle, current, offset, size, cancellationToken);
        bool awaited = false;
        try
        {
            while (offset < size)
            {
                awaited = true;
                int read = await pending.ConfigureAwait(false);
                if (read == 0) throw Changed(source, size, "shrank");
                offset += read;
                if (offset < size)
                {
                    pending = ReadChunk(handle, next, offset, size, cancellationToken);
                    awaited = false;
                }
                // Asynchronously, so while the compressor waits for a block to finish, the content does not hold a
                // pool thread. Headers and padding are written synchronously: the rare one that fills a block can
                // wait on this thread.
                await _output.WriteAsync(current.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                hash?.AppendData(current, 0, read);
                (current, next) = (next, current);
            }
        }
        finally
        {
            // A read still in flight must finish before its buffer goes back to the pool.
            if (!awaited) await DrainAsync(pending).ConfigureAwait(false);
        }
    }

    private static async Task DrainAsync(ValueTask<int> pending)
    {
        try { await pending.ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or OperationCanceledException) { /* the first error is the one reported */ }
    }

    private static ValueTask<int> ReadChunk(SafeFileHandle handle, byte[] buffer, long offset, long size, CancellationToken cancellationToken)
    {
        int length = (int)Math.Min(buffer.Length, size - offset);
        return length <= 0 ? ValueTask.FromResult(0) : RandomAccess.ReadAsync(handle, buffer.AsMemory(0, length), offset, cancellationToken);
    }

    /// <summary>Opens a layer entry's source file for reading; a missing or unreadable file is a coded error.</summary>
    internal static SafeFileHandle Open(string source, string imagePath)
    {
        try
        {
            return File.OpenHandle(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MabException(ErrorCode.LayerSourceVanished,
                $"{source} (for {imagePath}) disappeared while the layer was being written. Make sure nothing cleans or rebuilds the publish folder while the image is built, then build again.", e);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new MabException(ErrorCode.LayerSourceVanished,
                $"{source} (for {imagePath}) could not be opened: {e.Message} Make sure the file exists and is readable, then build again.", e);
        }
    }

    private static MabException Changed(string source, long size, string how) =>
        new(ErrorCode.LayerSourceChanged,
            $"{source} {how} while the layer was being written (it was {size} bytes when opened). Make sure nothing writes to the publish folder while the image is built, then build again.");

    /// <summary>What a file contributed to a layer: its size and the sha256 of the bytes written.</summary>
    internal readonly record struct FileContent(long Size, byte[] Sha256);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_current);
        ArrayPool<byte>.Shared.Return(_next);
    }
}
