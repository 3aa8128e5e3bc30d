using System.Buffers.Binary;
using System.IO.Compression;
using MultiArch.Build.Layers;

namespace MultiArch.Build.Tests.Layers;

public class ParallelCompressionStreamTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(GzipBlockFormat.Size - 1)]
    [InlineData(GzipBlockFormat.Size)]
    [InlineData(GzipBlockFormat.Size + 1)]
    [InlineData(5 * GzipBlockFormat.Size + 12345)]
    public async Task GzipOutputIsOneValidMemberWhateverTheLengthAndThreadCount(int length)
    {
        byte[] data = Data(length);

        byte[] one = await CompressAsync(data, new GzipBlockFormat(CompressionLevel.Optimal), threads: 1);
        byte[] two = await CompressAsync(data, new GzipBlockFormat(CompressionLevel.Optimal), threads: 2);
        byte[] eight = await CompressAsync(data, new GzipBlockFormat(CompressionLevel.Optimal), threads: 8);

        Assert.Equal(one, two);
        Assert.Equal(one, eight);
        Assert.Equal(data, Gunzip(one));
        Assert.Equal(new byte[] { 0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3 }, one[..10]);
        // One empty final block, then the CRC-32 and length of everything (RFC 1952).
        Assert.Equal(new byte[] { 0x03, 0x00 }, one[^10..^8]);
        Assert.Equal(ReferenceCrc(data), BinaryPrimitives.ReadUInt32LittleEndian(one.AsSpan()[^8..]));
        Assert.Equal((uint)length, BinaryPrimitives.ReadUInt32LittleEndian(one.AsSpan()[^4..]));
    }

    [Fact]
    public async Task WritesInAnySizesGiveTheSameBytes()
    {
        byte[] data = Data(3 * GzipBlockFormat.Size + 100);
        byte[] whole = await CompressAsync(data, new GzipBlockFormat(CompressionLevel.Fastest), threads: 2);

        var output = new MemoryStream();
        using (var stream = new ParallelCompressionStream(output, new GzipBlockFormat(CompressionLevel.Fastest), 3))
        {
            var random = new Random(3);
            for (int offset = 0; offset < data.Length;)
            {
                int size = Math.Min(random.Next(1, 300_000), data.Length - offset);
                if (random.Next(2) == 0) stream.Write(data, offset, size);
                else await stream.WriteAsync(data.AsMemory(offset, size));
                offset += size;
            }
            await stream.FinishAsync(CancellationToken.None);
        }

        Assert.Equal(whole, output.ToArray());
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 5)]
    [InlineData(8, 17)]
    public async Task AtMostTwoBlocksPerThreadAreInFlight(int threads, int maxBlocks)
    {
        // 40 MiB through a slow output: the writer must wait for blocks, not buffer the layer.
        using var stream = new ParallelCompressionStream(new SlowStream(), new GzipBlockFormat(CompressionLevel.Fastest), threads);
        byte[] chunk = Data(1 << 20);
        for (int i = 0; i < 40; i++) await stream.WriteAsync(chunk);
        await stream.FinishAsync(CancellationToken.None);

        Assert.InRange(stream.BlocksAllocated, 1, maxBlocks);
    }

    [Fact]
    public async Task ASmallStreamIsCompressedWithoutStartingThreads()
    {
        var format = new CountingFormat(new GzipBlockFormat(CompressionLevel.Optimal));
        var output = new MemoryStream();
        using (var stream = new ParallelCompressionStream(output, format, 8))
        {
            stream.Write(Data(1000));
            await stream.FinishAsync(CancellationToken.None);
        }

        Assert.Equal(1, format.EncodersCreated);
        Assert.Equal(Data(1000), Gunzip(output.ToArray()));
    }

    [Fact]
    public async Task AFailingBlockFailsTheWriteAndTheThreadsStop()
    {
        var format = new CountingFormat(new GzipBlockFormat(CompressionLevel.Fastest), failAtBlock: 3);
        var stream = new ParallelCompressionStream(Stream.Null, format, 2);
        byte[] chunk = Data(1 << 20);

        var error = await Assert.ThrowsAsync<IOException>(async () =>
        {
            for (int i = 0; i < 20; i++) await stream.WriteAsync(chunk);
            await stream.FinishAsync(CancellationToken.None);
        });
        stream.Dispose();

        Assert.Equal("block 3 failed", error.Message);
    }

    [Fact]
    public async Task ZstdOutputIsTheSameForAnyThreadCountAndDecompressesToTheInput()
    {
        byte[] data = Data(4 * ZstdBlockFormat.Size + 999);

        byte[] one = await CompressAsync(data, new ZstdBlockFormat(CompressionLevel.Optimal), threads: 1);
        byte[] eight = await CompressAsync(data, new ZstdBlockFormat(CompressionLevel.Optimal), threads: 8);

        Assert.Equal(one, eight);
        Assert.Equal(new byte[] { 0x28, 0xB5, 0x2F, 0xFD }, one[..4]); // a zstd frame's magic number
        using var decompress = new ZstdSharp.DecompressionStream(new MemoryStream(one));
        var roundTrip = new MemoryStream();
        decompress.CopyTo(roundTrip);
        Assert.Equal(data, roundTrip.ToArray());
    }

    internal static async Task<byte[]> CompressAsync(byte[] data, BlockFormat format, int threads)
    {
        var output = new MemoryStream();
        using (var stream = new ParallelCompressionStream(output, format, threads))
        {
            await stream.WriteAsync(data);
            await stream.FinishAsync(CancellationToken.None);
        }
        return output.ToArray();
    }

    /// <summary>Half text, half small-alphabet bytes: compressible, but not trivially.</summary>
    internal static byte[] Data(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        for (int i = 0; i < data.Length; i++) data[i] = (i / 4096 % 2 == 0) ? (byte)('a' + data[i] % 8) : (byte)(data[i] & 0x1F);
        return data;
    }

    private static byte[] Gunzip(byte[] gzip)
    {
        using var stream = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }

    private static uint ReferenceCrc(byte[] data)
    {
        if (data.Length == 0) return 0;
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return BinaryPrimitives.ReadUInt32LittleEndian(output.ToArray().AsSpan()[^8..]);
    }

    /// <summary>A format that counts its encoders and can make one block fail.</summary>
    private sealed class CountingFormat(BlockFormat inner, int failAtBlock = -1) : BlockFormat
    {
        private int _blocks;

        public int EncodersCreated;

        public override int BlockSize => inner.BlockSize;
        public override int MaxCompressedSize(int inputLength) => inner.MaxCompressedSize(inputLength);
        public override void WriteHeader(Stream output) => inner.WriteHeader(output);
        public override void Add(int inputLength, in EncodedBlock block) => inner.Add(inputLength, block);
        public override void WriteTrailer(Stream output) => inner.WriteTrailer(output);

        public override IBlockEncoder CreateEncoder()
        {
            Interlocked.Increment(ref EncodersCreated);
            return new Encoder(inner.CreateEncoder(), this);
        }

        private sealed class Encoder(IBlockEncoder inner, CountingFormat format) : IBlockEncoder
        {
            public EncodedBlock Encode(ReadOnlySpan<byte> input, MemoryStream output)
            {
                if (Interlocked.Increment(ref format._blocks) == format.FailAt) throw new IOException($"block {format.FailAt} failed");
                return inner.Encode(input, output);
            }

            public void Dispose() => inner.Dispose();
        }

        private int FailAt => failAtBlock;
    }

    /// <summary>An output that takes its time, so compressed blocks pile up unless the writer waits.</summary>
    private sealed class SlowStream : Stream
    {
        public override void Write(byte[] buffer, int offset, int count) => Thread.Sleep(5);
        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
