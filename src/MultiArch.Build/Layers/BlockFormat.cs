namespace MultiArch.Build.Layers;

/// <summary>
/// How a compressed layer is framed when its tar is cut into fixed-size blocks that are compressed
/// independently (<see cref="ParallelCompressionStream"/>): what comes before the first block, how
/// one block is compressed, and what comes after the last. Block boundaries fall at fixed offsets of
/// the tar, and each block's bytes depend on that block alone, so the layer is the same however many
/// threads compressed it.
/// </summary>
/// <remarks>One instance frames one layer: it accumulates what its trailer needs as blocks are added in order.</remarks>
internal abstract class BlockFormat
{
    /// <summary>Bytes of tar per block (the last block may be shorter).</summary>
    public abstract int BlockSize { get; }

    /// <summary>Compressed bytes one block can take at most, so its output buffer need never grow.</summary>
    public abstract int MaxCompressedSize(int inputLength);

    public abstract void WriteHeader(Stream output);

    /// <summary>A compressor for one thread; it is used for one block at a time.</summary>
    public abstract IBlockEncoder CreateEncoder();

    /// <summary>Called for each block in tar order, after the header and before the block's bytes are written.</summary>
    public abstract void Add(int inputLength, in EncodedBlock block);

    public abstract void WriteTrailer(Stream output);
}

/// <summary>Compresses one block at a time on one thread.</summary>
internal interface IBlockEncoder : IDisposable
{
    /// <summary>
    /// Compresses <paramref name="input"/> into <paramref name="output"/> (emptied first); the result says which bytes
    /// of its buffer (<see cref="MemoryStream.GetBuffer"/>) to write, whatever the stream's length.
    /// </summary>
    EncodedBlock Encode(ReadOnlySpan<byte> input, MemoryStream output);
}

/// <summary>
/// Where a block's compressed bytes are in its output buffer, and a check value the format's trailer
/// needs (for gzip, the block's CRC-32).
/// </summary>
internal readonly record struct EncodedBlock(int Offset, int Length, uint Check);
