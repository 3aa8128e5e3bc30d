using System.Formats.Tar;
using System.IO.Compression;
using MultiArch.Build.Blobs;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Layout;

/// <summary>A file to put in a test layer; a null content makes a directory.</summary>
public sealed record TestFile(string Path, string? Content, UnixFileMode Mode);

/// <summary>Small gzip tar layers for tests: sorted ustar entries, fixed mtime and owner.</summary>
public static class TestLayer
{
    public const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
    public const UnixFileMode Plain = (UnixFileMode)0b110_100_100;

    public static NewLayer Create(BlobStore store, string createdBy, params TestFile[] files)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
                writer.WriteEntry(Entry(file));
        }
        var diffId = Digest.Compute(tar.ToArray());
        var gzip = new MemoryStream();
        using (var compressor = new GZipStream(gzip, CompressionLevel.Optimal, leaveOpen: true))
            compressor.Write(tar.ToArray());
        var descriptor = store.Put(MediaTypes.OciLayerGzip, gzip.ToArray());
        return new NewLayer(descriptor, diffId, store, createdBy, "test layer");
    }

    private static UstarTarEntry Entry(TestFile file)
    {
        bool directory = file.Content is null;
        var entry = new UstarTarEntry(directory ? TarEntryType.Directory : TarEntryType.RegularFile, file.Path)
        {
            Mode = file.Mode,
            ModificationTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Uid = 0,
            Gid = 0,
        };
        if (!directory) entry.DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(file.Content!));
        return entry;
    }
}
