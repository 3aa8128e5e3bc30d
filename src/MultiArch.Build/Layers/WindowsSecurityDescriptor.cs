using System.Buffers.Binary;

namespace MultiArch.Build.Layers;

/// <summary>
/// The security descriptors a Windows layer gives what it writes, as the base64 of a self-relative
/// SECURITY_DESCRIPTOR (the <c>MSWINDOWS.rawsd</c> record Windows' importers apply to each file and folder).
/// </summary>
/// <remarks>
/// In SDDL, a folder gets <c>O:BAG:SYD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)</c> and a file the same
/// without the inheritance flags: <c>O:BAG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;0x1200a9;;;BU)</c>.
/// <list type="bullet">
/// <item>SYSTEM (S-1-5-18) and BUILTIN\Administrators (S-1-5-32-544) get full control (FILE_ALL_ACCESS, 0x1F01FF):
/// the container's ContainerAdministrator and the services of the OS can replace or remove the app, as root can on Linux.</item>
/// <item>BUILTIN\Users (S-1-5-32-545), which holds ContainerUser and every other account of the container, gets read and
/// execute (FILE_GENERIC_READ | FILE_GENERIC_EXECUTE, 0x1200A9): the app runs as a non-administrator and cannot change
/// its own files, as with the root-owned 0755/0644 files of the Linux image.</item>
/// <item>On folders the three entries are inherited (OI, CI), so a file created in the app folder later gets the same
/// rights; a file's entries carry no inheritance flags, which mean nothing on a file.</item>
/// <item>The access list is protected (P): it is exactly these entries, whatever the folder above it grants, so every host
/// that imports the layer gives the same rights.</item>
/// <item>Administrators own every entry and SYSTEM is its group, as for the files an administrator creates.</item>
/// </list>
/// The .NET SDK gives its Windows layers an owner and group but no access list, which Windows reads as full control for
/// everyone. The bytes are built here from those rules rather than pasted, so the rules above are the whole story.
/// </remarks>
internal static class WindowsSecurityDescriptor
{
    /// <summary>FILE_ALL_ACCESS (SDDL <c>FA</c>).</summary>
    public const uint FullControl = 0x001F01FF;

    /// <summary>FILE_GENERIC_READ | FILE_GENERIC_EXECUTE: read data, attributes and extended attributes, execute, read the security descriptor, synchronize.</summary>
    public const uint ReadAndExecute = 0x001200A9;

    private const byte Revision = 1;
    private const byte AclRevision = 2;
    private const byte AccessAllowedAceType = 0;
    private const byte ObjectInherit = 0x01;
    private const byte ContainerInherit = 0x02;
    private const ushort DaclPresent = 0x0004;
    private const ushort DaclProtected = 0x1000;
    private const ushort SelfRelative = 0x8000;
    private const int HeaderLength = 20;
    private const int AclHeaderLength = 8;
    private const int AceHeaderLength = 8;

    private static readonly byte[] LocalSystem = Sid(5, 18);
    private static readonly byte[] Administrators = Sid(5, 32, 544);
    private static readonly byte[] Users = Sid(5, 32, 545);

    /// <summary>The base64 descriptor of a folder.</summary>
    public static string Directory { get; } = Convert.ToBase64String(Build(ObjectInherit | ContainerInherit));

    /// <summary>The base64 descriptor of a file.</summary>
    public static string File { get; } = Convert.ToBase64String(Build(0));

    /// <summary>Header, owner, group, then the DACL; no SACL. Every offset is from the start, as a self-relative descriptor has them.</summary>
    private static byte[] Build(byte aceFlags)
    {
        byte[] acl = Acl([Ace(aceFlags, FullControl, LocalSystem), Ace(aceFlags, FullControl, Administrators), Ace(aceFlags, ReadAndExecute, Users)]);
        byte[] owner = Administrators, group = LocalSystem;
        var descriptor = new byte[HeaderLength + owner.Length + group.Length + acl.Length];
        var span = descriptor.AsSpan();
        span[0] = Revision;
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)(SelfRelative | DaclProtected | DaclPresent));
        int ownerOffset = HeaderLength, groupOffset = ownerOffset + owner.Length, daclOffset = groupOffset + group.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)ownerOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)groupOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], 0); // no SACL
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], (uint)daclOffset);
        owner.CopyTo(span[ownerOffset..]);
        group.CopyTo(span[groupOffset..]);
        acl.CopyTo(span[daclOffset..]);
        return descriptor;
    }

    private static byte[] Acl(byte[][] aces)
    {
        int size = AclHeaderLength + aces.Sum(a => a.Length);
        var acl = new byte[size];
        acl[0] = AclRevision;
        BinaryPrimitives.WriteUInt16LittleEndian(acl.AsSpan(2), (ushort)size);
        BinaryPrimitives.WriteUInt16LittleEndian(acl.AsSpan(4), (ushort)aces.Length);
        int offset = AclHeaderLength;
        foreach (byte[] ace in aces)
        {
            ace.CopyTo(acl, offset);
            offset += ace.Length;
        }
        return acl;
    }

    /// <summary>An ACCESS_ALLOWED_ACE: type, flags, size, access mask, then the SID.</summary>
    private static byte[] Ace(byte flags, uint mask, byte[] sid)
    {
        var ace = new byte[AceHeaderLength + sid.Length];
        ace[0] = AccessAllowedAceType;
        ace[1] = flags;
        BinaryPrimitives.WriteUInt16LittleEndian(ace.AsSpan(2), (ushort)ace.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(ace.AsSpan(4), mask);
        sid.CopyTo(ace, AceHeaderLength);
        return ace;
    }

    /// <summary>A binary SID: revision 1, the count of sub-authorities, the 48-bit authority big-endian, then each sub-authority little-endian.</summary>
    private static byte[] Sid(byte authority, params uint[] subAuthorities)
    {
        var sid = new byte[8 + 4 * subAuthorities.Length];
        sid[0] = Revision;
        sid[1] = (byte)subAuthorities.Length;
        sid[7] = authority; // bytes 2..7 hold the authority, most significant first; the NT authority is 5
        for (int i = 0; i < subAuthorities.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(sid.AsSpan(8 + 4 * i), subAuthorities[i]);
        return sid;
    }
}
