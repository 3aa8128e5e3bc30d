using System.Text;

namespace MultiArch.Build.Layers;

/// <summary>
/// Fills one 512-byte POSIX ustar header block. Numbers are zero-padded octal ending in NUL; a
/// number too large for its field is written in the base-256 form GNU tar and Go read, and
/// <see cref="TarHeaderEncoder"/> adds a PAX record for it as well.
/// </summary>
internal static class UstarBlock
{
    public const int Size = 512;
    public const int NameLength = 100;
    public const int PrefixLength = 155;
    public const long MaxOctalSize = (1L << 33) - 1;
    public const int MaxOctalId = (1 << 21) - 1;

    private const int NameOffset = 0, ModeOffset = 100, UidOffset = 108, GidOffset = 116, SizeOffset = 124;
    private const int MtimeOffset = 136, ChecksumOffset = 148, TypeOffset = 156, LinkOffset = 157;
    private const int MagicOffset = 257, VersionOffset = 263, PrefixOffset = 345;

    /// <summary>Writes a header block; <paramref name="name"/>, <paramref name="prefix"/> and <paramref name="link"/> must already fit.</summary>
    public static void Fill(Span<byte> block, ReadOnlySpan<byte> name, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> link, in TarHeader header)
    {
        block[..Size].Clear();
        name.CopyTo(block.Slice(NameOffset, NameLength));
        WriteOctal(block.Slice(ModeOffset, 8), (long)header.Mode & 0xFFF);
        WriteNumber(block.Slice(UidOffset, 8), header.Uid);
        WriteNumber(block.Slice(GidOffset, 8), header.Gid);
        WriteNumber(block.Slice(SizeOffset, 12), header.Size);
        WriteNumber(block.Slice(MtimeOffset, 12), header.Mtime);
        block[TypeOffset] = header.TypeFlag;
        link.CopyTo(block.Slice(LinkOffset, NameLength));
        "ustar\0"u8.CopyTo(block[MagicOffset..]);
        "00"u8.CopyTo(block[VersionOffset..]);
        prefix.CopyTo(block.Slice(PrefixOffset, PrefixLength));
        WriteChecksum(block);
    }

    /// <summary>Octal with NUL terminator when it fits, otherwise base-256 (high bit of the first byte set).</summary>
    internal static void WriteNumber(Span<byte> field, long value)
    {
        long octalLimit = (1L << (3 * (field.Length - 1))) - 1;
        if (value <= octalLimit)
        {
            WriteOctal(field, value);
            return;
        }
        field.Clear();
        for (int i = field.Length - 1; i > 0 && value != 0; i--, value >>= 8)
            field[i] = (byte)value;
        field[0] = 0x80;
    }

    private static void WriteOctal(Span<byte> field, long value)
    {
        int digits = field.Length - 1;
        for (int i = digits - 1; i >= 0; i--, value >>= 3)
            field[i] = (byte)('0' + (value & 7));
        field[digits] = 0;
    }

    // The checksum is the byte sum of the block with the checksum field read as eight spaces,
    // stored as six octal digits, NUL, space (the form every tar writes).
    private static void WriteChecksum(Span<byte> block)
    {
        block.Slice(ChecksumOffset, 8).Fill((byte)' ');
        int sum = 0;
        foreach (byte b in block[..Size]) sum += b;
        Span<byte> field = block.Slice(ChecksumOffset, 8);
        WriteOctal(field[..7], sum);
        field[7] = (byte)' ';
    }

    public static bool IsAscii(string value) => Ascii.IsValid(value);
}
