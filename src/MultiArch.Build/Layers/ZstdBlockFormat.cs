using System.IO.Compression;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace MultiArch.Build.Layers;

/// <summary>
/// A zstd layer as a sequence of frames, one per block of tar (RFC 8878 §3.1: a decoder that reads
/// several frames returns their contents one after another, which the zstd CLI, containerd and Go's
/// decoders do). Each frame records its content size and an XXH64 checksum of its content.
/// </summary>
/// <remarks>
/// Compression is ZstdSharp.Port, a managed port of the reference library, so nothing native has to
/// load inside MSBuild on any platform. Each frame is compressed single-threaded at a fixed level by
/// a fixed library version; zstd's own multi-threaded mode is not used, and the parallelism comes
/// from the blocks, so the bytes do not depend on the thread count.
/// </remarks>
internal sealed class ZstdBlockFormat(CompressionLevel level) : BlockFormat
{
    public const int Size = 1 << 20;

    public override int BlockSize => Size;

    public override int MaxCompressedSize(int inputLength) => Compressor.GetCompressBound(inputLength);

    /// <summary>The zstd level for a .NET level: zstd's default 3 for Optimal, 1 for Fastest, 19 for SmallestSize.</summary>
    public static int ZstdLevel(CompressionLevel level) => level switch
    {
        CompressionLevel.Fastest or CompressionLevel.NoCompression => 1,
        CompressionLevel.SmallestSize => 19,
        _ => 3,
    };

    public override void WriteHeader(Stream output)
    {
    }

    public override IBlockEncoder CreateEncoder() => new Encoder(ZstdLevel(level));

    public override void Add(int inputLength, in EncodedBlock block)
    {
    }

    public override void WriteTrailer(Stream output)
    {
    }

    private sealed class Encoder : IBlockEncoder
    {
        private readonly Compressor _compressor;

        public Encoder(int level)
        {
            _compressor = new Compressor(level);
            _compressor.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
            _compressor.SetParameter(ZSTD_cParameter.ZSTD_c_contentSizeFlag, 1);
        }

        public EncodedBlock Encode(ReadOnlySpan<byte> input, MemoryStream output)
        {
            // Straight into the buffer: growing the stream's length would zero a bound's worth of bytes
            // per block first. An empty input still makes a frame, so a layer is never zero bytes.
            int bound = Compressor.GetCompressBound(input.Length);
            output.SetLength(0);
            if (output.Capacity < bound) output.Capacity = bound;
            int written = _compressor.Wrap(input, output.GetBuffer().AsSpan(0, bound));
            return new EncodedBlock(0, written, 0);
        }

        public void Dispose() => _compressor.Dispose();
    }
}
