namespace MultiArch.Build.Layers;

/// <summary>The facts about one tar member that go into its header (the content follows separately).</summary>
internal readonly record struct TarHeader(string Name, byte TypeFlag, UnixFileMode Mode, long Size, long Mtime, int Uid, int Gid, string? LinkName)
{
    public const byte RegularFile = (byte)'0';
    public const byte SymbolicLink = (byte)'2';
    public const byte DirectoryType = (byte)'5';
    public const byte PaxExtended = (byte)'x';
}
