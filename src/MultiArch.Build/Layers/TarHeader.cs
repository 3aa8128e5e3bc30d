namespace MultiArch.Build.Layers;

/// <summary>The facts about one tar member that go into its header (the content follows separately).</summary>
/// <param name="Records">PAX records the member carries besides those the encoder adds for long or large values (a Windows layer's
/// <c>MSWINDOWS.*</c> records); null or empty for none, which leaves the header exactly as it was without them.</param>
internal readonly record struct TarHeader(string Name, byte TypeFlag, UnixFileMode Mode, long Size, long Mtime, int Uid, int Gid, string? LinkName,
    IReadOnlyList<KeyValuePair<string, string>>? Records = null)
{
    public const byte RegularFile = (byte)'0';
    public const byte SymbolicLink = (byte)'2';
    public const byte DirectoryType = (byte)'5';
    public const byte PaxExtended = (byte)'x';
}
