using System.Formats.Tar;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Layers;

/// <summary>
/// Refuses devices, FIFOs and sockets: a layer of an app should not carry them, and opening a
/// FIFO to read it would hang the build. .NET exposes a file's type only through its tar support,
/// so a zero-length file (the only size such files report) is described by
/// <see cref="TarWriter"/> into memory and its type flag read back; regular files never pay this.
/// </summary>
internal static class SpecialFileCheck
{
    public static void EnsureRegular(FileInfo file)
    {
        if (file.Length != 0) return;
        var probe = new MemoryStream();
        using (var writer = new TarWriter(probe, TarEntryFormat.Ustar, leaveOpen: true))
            writer.WriteEntry(file.FullName, "probe");
        probe.Position = 0;
        using var reader = new TarReader(probe);
        var type = reader.GetNextEntry()!.EntryType;
        if (type is TarEntryType.RegularFile or TarEntryType.V7RegularFile) return;
        throw new MabException(ErrorCode.LayerUnsupportedFileType,
            $"{file.FullName} is a {type}, which a layer cannot carry. Remove it from the publish folder, or exclude it from the image.");
    }
}
