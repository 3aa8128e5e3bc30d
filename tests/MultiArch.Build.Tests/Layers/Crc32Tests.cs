using System.Buffers.Binary;
using System.IO.Compression;
using MultiArch.Build.Layers;

namespace MultiArch.Build.Tests.Layers;

public class Crc32Tests
{
    [Theory]
    [InlineData(0, 5000)]
    [InlineData(1, 4999)]
    [InlineData(2500, 2500)]
    [InlineData(4999, 1)]
    [InlineData(5000, 0)]
    public void CombiningTwoPiecesGivesTheCrcOfTheWhole(int firstLength, int secondLength)
    {
        var data = new byte[firstLength + secondLength];
        new Random(7).NextBytes(data);

        uint combined = Crc32.Combine(CrcOf(data[..firstLength]), CrcOf(data[firstLength..]), secondLength);

        Assert.Equal(CrcOf(data), combined);
    }

    [Fact]
    public void CombiningManyBlocksInOrderGivesTheCrcOfTheWhole()
    {
        var data = new byte[(3 << 20) + 99];
        new Random(8).NextBytes(data);
        uint crc = 0;
        for (int offset = 0; offset < data.Length; offset += 1 << 20)
        {
            var block = data.AsSpan(offset, Math.Min(1 << 20, data.Length - offset)).ToArray();
            crc = Crc32.Combine(crc, CrcOf(block), block.Length);
        }

        Assert.Equal(CrcOf(data), crc);
        Assert.Equal(0xCBF43926u, CrcOf("123456789"u8.ToArray())); // the reference check value of CRC-32
    }

    // An independent CRC-32: the one zlib writes into a gzip trailer.
    private static uint CrcOf(byte[] data)
    {
        if (data.Length == 0) return 0; // by definition, and .NET may write no member for no data
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return BinaryPrimitives.ReadUInt32LittleEndian(output.ToArray().AsSpan()[^8..]);
    }
}
