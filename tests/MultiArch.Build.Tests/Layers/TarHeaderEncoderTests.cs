using System.Buffers.Binary;
using System.Formats.Tar;
using System.Text;
using MultiArch.Build.Layers;

namespace MultiArch.Build.Tests.Layers;

public class TarHeaderEncoderTests
{
    private const long TenGiB = 10L << 30;

    [Fact]
    public void ASizeOver8GiBGetsAPaxSizeRecordAndABase256Field()
    {
        byte[] bytes = Encode(new TarHeader("app/big.bin", TarHeader.RegularFile, GoldenTree.Rw_r__r__, TenGiB, 946684800, 0, 0, null));

        Assert.Equal(3 * 512, bytes.Length);
        Assert.Equal((byte)'x', bytes[156]);
        Assert.Equal("PaxHeaders/big.bin", CString(bytes, 0, 100));
        // "20 size=10737418240\n" is 20 bytes: the length counts its own two digits.
        Assert.Equal("20 size=10737418240\n", CString(bytes, 512, 512));
        Assert.Equal(20L, ParseOctal(bytes, 124, 12));
        Assert.Equal(0x80, bytes[1024 + 124]);
        Assert.Equal(TenGiB, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1024 + 128, 8)));
        Assert.All(new[] { 0, 1024 }, offset => Assert.Equal(ChecksumOf(bytes.AsSpan(offset, 512)), ParseOctal(bytes, offset + 148, 7)));

        // A file stream, unlike a MemoryStream, can seek past 2 GiB, so TarReader can step over the data.
        using var folder = new ScratchFolder();
        File.WriteAllBytes(folder.Combine("header.tar"), bytes);
        using var reader = new TarReader(File.OpenRead(folder.Combine("header.tar")));
        var entry = Assert.IsType<PaxTarEntry>(reader.GetNextEntry(copyData: false));
        Assert.Equal(TenGiB, entry.Length);
        Assert.Equal("app/big.bin", entry.Name);
    }

    [Fact]
    public void TheLargestOctalSizeNeedsNoPax()
    {
        const long max = (1L << 33) - 1;
        byte[] bytes = Encode(new TarHeader("f", TarHeader.RegularFile, GoldenTree.Rw_r__r__, max, 0, 0, 0, null));

        Assert.Equal(512, bytes.Length);
        Assert.Equal("77777777777", CString(bytes, 124, 12));
        Assert.Equal("ustar", CString(bytes, 257, 6));
        Assert.Equal("0000644", CString(bytes, 100, 8));
    }

    [Fact]
    public void ALongAsciiPathSplitsIntoPrefixAndName()
    {
        string name = "app/" + new string('d', 140) + "/file.txt";
        byte[] bytes = Encode(new TarHeader(name, TarHeader.RegularFile, GoldenTree.Rw_r__r__, 0, 0, 0, 0, null));

        Assert.Equal(512, bytes.Length);
        Assert.Equal("file.txt", CString(bytes, 0, 100));
        Assert.Equal("app/" + new string('d', 140), CString(bytes, 345, 155));
        Assert.Equal(name, ReadName(bytes));
    }

    [Theory]
    [InlineData(101, false)]
    [InlineData(300, false)]
    [InlineData(20, true)]
    public void PathsThatDoNotFitUstarGoInPax(int segmentLength, bool nonAscii)
    {
        string name = "app/" + new string('n', segmentLength) + (nonAscii ? "/ünïcødé-名前.txt" : "");
        byte[] bytes = Encode(new TarHeader(name, TarHeader.RegularFile, GoldenTree.Rw_r__r__, 0, 0, 0, 0, null));

        Assert.Equal((byte)'x', bytes[156]);
        Assert.StartsWith("PaxHeaders/", CString(bytes, 0, 100));
        Assert.Contains($" path={name}\n", Encoding.UTF8.GetString(bytes, 512, (int)ParseOctal(bytes, 124, 12)));
        Assert.Equal(name, ReadName(bytes));
    }

    [Fact]
    public void ALongOrNonAsciiLinkTargetGoesInPaxLinkpath()
    {
        string target = "../" + new string('t', 150) + "/zielö";
        byte[] bytes = Encode(new TarHeader("app/link", TarHeader.SymbolicLink, GoldenTree.Rwxrwxrwx, 0, 0, 0, 0, target));

        using var reader = new TarReader(new MemoryStream(bytes));
        var entry = reader.GetNextEntry()!;
        Assert.Equal(TarEntryType.SymbolicLink, entry.EntryType);
        Assert.Equal(target, entry.LinkName);
        Assert.Equal("app/link", entry.Name);
    }

    [Fact]
    public void PaxRecordLengthsCountThemselvesAcrossDigitBoundaries()
    {
        for (int length = 0; length < 1100; length++)
        {
            string record = PaxRecords.Record("path", new string('p', length));
            int declared = int.Parse(record[..record.IndexOf(' ')], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Encoding.UTF8.GetByteCount(record), declared);
        }
        Assert.Equal("11 path=\u00e9\n", PaxRecords.Record("path", "\u00e9"));
    }

    private static byte[] Encode(TarHeader header)
    {
        var output = new MemoryStream();
        TarHeaderEncoder.Write(output, header, new byte[512]);
        // Two zero blocks so TarReader sees a complete archive when the entry has no data.
        if (header.Size == 0) output.Write(new byte[1024]);
        return header.Size == 0 ? output.ToArray()[..^1024] : output.ToArray();
    }

    private static string ReadName(byte[] headerBytes)
    {
        using var reader = new TarReader(new MemoryStream([.. headerBytes, .. new byte[1024]]));
        return reader.GetNextEntry()!.Name;
    }

    private static string CString(byte[] bytes, int offset, int length)
    {
        var field = bytes.AsSpan(offset, length);
        int end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private static long ParseOctal(byte[] bytes, int offset, int length) =>
        Convert.ToInt64(CString(bytes, offset, length).Trim(), 8);

    private static int ChecksumOf(ReadOnlySpan<byte> block)
    {
        int sum = 0;
        for (int i = 0; i < 512; i++) sum += i is >= 148 and < 156 ? ' ' : block[i];
        return sum;
    }
}
