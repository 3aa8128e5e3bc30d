using System.Buffers.Binary;
using System.IO.Compression;

namespace MultiArch.Build.Layers;

/// <summary>
/// One gzip member (RFC 1952) made of independently deflated 1 MiB blocks, as pigz makes them: each
/// block's deflate data ends with a sync flush (an empty stored block), so it stops on a byte
/// boundary and is not final, and the next block's data can simply follow it. After the last block
/// come one empty final block and the trailer: the CRC-32 of the whole tar, joined from the blocks'
/// CRCs, and its length modulo 2^32. Any gzip reader sees one ordinary member.
/// </summary>
/// <remarks>
/// The header is fixed: no name, no extra fields, MTIME 0, XFL for the level, OS 3 (Unix, which is
/// also what the layer holds) whatever system the runtime's zlib was built for. A block starts with
/// an empty window, unlike a single stream, which costs about 0.1 % in size at this block size.
/// </remarks>
internal sealed class GzipBlockFormat(CompressionLevel level) : BlockFormat
{
    public const int Size = 1 << 20;

    private const int HeaderLength = 10;
    private const int TrailerLength = 8;
    private const byte UnixOs = 3;

    // The final block: BFINAL=1, BTYPE=01 (fixed Huffman codes), then the 7-bit end-of-block code,
    // in 10 bits padded to two bytes.
    private static readonly byte[] EmptyFinalBlock = [0x03, 0x00];

    private uint _crc;
    private long _length;

    public override int BlockSize => Size;

    // Incompressible data costs deflate 5 bytes per stored block of up to 64 KiB; the sync flush
    // and the per-block gzip wrapper add a few more.
    public override int MaxCompressedSize(int inputLength) => inputLength + inputLength / 1024 + 64;

    public override void WriteHeader(Stream output)
    {
        // ID1 ID2, CM 8 (deflate), FLG 0, MTIME 0, XFL, OS.
        output.Write([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, ExtraFlags(level), UnixOs]);
    }

    public override IBlockEncoder CreateEncoder() => new Encoder(level);

    public override void Add(int inputLength, in EncodedBlock block)
    {
        _crc = Crc32.Combine(_crc, block.Check, inputLength);
        _length += inputLength;
    }

    public override void WriteTrailer(Stream output)
    {
        Span<byte> trailer = stackalloc byte[TrailerLength];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)_length));
        output.Write(EmptyFinalBlock);
        output.Write(trailer);
    }

    // RFC 1952's XFL as zlib sets it: 2 for the slowest level, 4 for the fastest, 0 otherwise.
    private static byte ExtraFlags(CompressionLevel level) => level switch
    {
        CompressionLevel.SmallestSize => 2,
        CompressionLevel.Fastest => 4,
        _ => 0,
    };

    /// <summary>
    /// Deflates a block through the runtime's zlib as a gzip member of its own, and keeps only the
    /// deflate data up to the sync flush. The member's trailer gives the block's CRC-32, computed by
    /// zlib's vectorised CRC while it compresses; the header and the final block are dropped.
    /// </summary>
    private sealed class Encoder(CompressionLevel level) : IBlockEncoder
    {
        public EncodedBlock Encode(ReadOnlySpan<byte> input, MemoryStream output)
        {
            output.SetLength(0);
            if (input.IsEmpty) return new EncodedBlock(0, 0, 0); // the CRC-32 of nothing is 0
            long flushed;
            using (var gzip = new GZipStream(output, level, leaveOpen: true))
            {
                gzip.Write(input);
                gzip.Flush(); // sync flush: the deflate data ends on a byte boundary, not final
                flushed = output.Length;
            }
            var member = output.GetBuffer().AsSpan(0, (int)output.Length);
            if (flushed < HeaderLength || member[0] != 0x1F || member[1] != 0x8B || member[2] != 8 || member[3] != 0)
                throw new InvalidOperationException("The runtime's gzip compressor wrote a header with optional fields; the layer writer expects the plain 10-byte header.");
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(member[^TrailerLength..]);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(member[^4..]);
            if (length != (uint)input.Length)
                throw new InvalidOperationException($"The runtime's gzip compressor recorded {length} bytes for a block of {input.Length}.");
            return new EncodedBlock(HeaderLength, (int)flushed - HeaderLength, crc);
        }

        public void Dispose()
        {
        }
    }
}
