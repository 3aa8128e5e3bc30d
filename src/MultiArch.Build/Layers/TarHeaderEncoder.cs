using System.Text;

namespace MultiArch.Build.Layers;

/// <summary>
/// Turns a <see cref="TarHeader"/> into header blocks: a plain ustar block when every value fits,
/// otherwise a PAX extended header (for long or non-ASCII names and link targets, sizes of 8 GiB
/// and more, large ids, and any records the header brings, such as a Windows layer's) followed by the ustar block. The PAX member is named
/// <c>PaxHeaders/&lt;base name&gt;</c>, never after a process id, so the bytes are reproducible.
/// </summary>
internal static class TarHeaderEncoder
{
    private const string PaxDirectory = "PaxHeaders/";
    private const UnixFileMode PaxMode = (UnixFileMode)0x1A4; // 0644

    /// <summary>Writes the header blocks for <paramref name="header"/> and returns how many bytes that was.</summary>
    public static int Write(Stream output, in TarHeader header, byte[] scratch)
    {
        var pax = new PaxRecords();
        var (name, prefix) = SplitName(header.Name, pax);
        byte[] link = Field(header.LinkName ?? "", "linkpath", pax);
        if (header.Size > UstarBlock.MaxOctalSize) pax.Add("size", header.Size);
        if (header.Uid > UstarBlock.MaxOctalId) pax.Add("uid", header.Uid);
        if (header.Gid > UstarBlock.MaxOctalId) pax.Add("gid", header.Gid);
        foreach (var (key, value) in header.Records ?? []) pax.Add(key, value);

        int written = 0;
        if (!pax.IsEmpty) written += WritePax(output, header, pax.ToBytes(), scratch);
        UstarBlock.Fill(scratch, name, prefix, link, header);
        output.Write(scratch, 0, UstarBlock.Size);
        return written + UstarBlock.Size;
    }

    private static int WritePax(Stream output, in TarHeader header, byte[] body, byte[] scratch)
    {
        string paxName = PaxDirectory + AsciiBaseName(header.Name);
        var paxHeader = new TarHeader(paxName, TarHeader.PaxExtended, PaxMode, body.Length, header.Mtime, header.Uid, header.Gid, null);
        UstarBlock.Fill(scratch, Truncate(Encoding.ASCII.GetBytes(paxName), UstarBlock.NameLength), default, default, paxHeader);
        output.Write(scratch, 0, UstarBlock.Size);
        output.Write(body);
        int padding = Padding(body.Length);
        output.Write(new byte[padding]);
        return UstarBlock.Size + body.Length + padding;
    }

    /// <summary>Bytes of zeros that bring <paramref name="length"/> up to a whole 512-byte block.</summary>
    public static int Padding(long length) => (int)((UstarBlock.Size - length % UstarBlock.Size) % UstarBlock.Size);

    // A name fits in ustar when it is ASCII and either fits the 100-byte name field or splits at a
    // '/' into a prefix of up to 155 bytes and a name of up to 100. Anything else goes in PAX "path".
    internal static (byte[] Name, byte[] Prefix) SplitName(string fullName, PaxRecords pax)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(fullName);
        if (UstarBlock.IsAscii(fullName))
        {
            if (bytes.Length <= UstarBlock.NameLength) return (bytes, []);
            int split = SplitPoint(bytes);
            if (split > 0) return (bytes[(split + 1)..], bytes[..split]);
        }
        pax.Add("path", fullName);
        return (Truncate(bytes, UstarBlock.NameLength), []);
    }

    private static int SplitPoint(byte[] bytes)
    {
        // The last '/' that leaves a non-empty name of at most 100 bytes and a prefix of at most 155.
        int limit = Math.Min(UstarBlock.PrefixLength, bytes.Length - 2);
        for (int i = limit; i > 0; i--)
        {
            if (bytes[i] == (byte)'/' && bytes.Length - i - 1 <= UstarBlock.NameLength) return i;
        }
        return -1;
    }

    private static byte[] Field(string value, string paxKey, PaxRecords pax)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        if (UstarBlock.IsAscii(value) && bytes.Length <= UstarBlock.NameLength) return bytes;
        pax.Add(paxKey, value);
        return Truncate(bytes, UstarBlock.NameLength);
    }

    // Cuts at a UTF-8 character boundary so the fallback field is still valid text.
    private static byte[] Truncate(byte[] bytes, int max)
    {
        if (bytes.Length <= max) return bytes;
        int end = max;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) end--;
        return bytes[..end];
    }

    private static string AsciiBaseName(string name)
    {
        string trimmed = name.TrimEnd('/');
        string baseName = trimmed[(trimmed.LastIndexOf('/') + 1)..];
        var builder = new StringBuilder(baseName.Length);
        foreach (char c in baseName) builder.Append(char.IsAscii(c) && !char.IsControl(c) ? c : '_');
        return builder.ToString();
    }
}
