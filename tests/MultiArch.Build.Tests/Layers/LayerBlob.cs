using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using MultiArch.Build.Blobs;
using MultiArch.Build.Layers;

namespace MultiArch.Build.Tests.Layers;

/// <summary>Reads a written layer back with .NET's own tar and gzip readers, independent of the writer.</summary>
internal static class LayerBlob
{
    public sealed record Member(string Name, TarEntryType Type, UnixFileMode Mode, int Uid, int Gid, string UserName, string GroupName, DateTimeOffset Mtime, string LinkName, byte[] Content);

    public static string PathOf(BlobStore store, LayerResult result) => store.PathFor(result.Descriptor.Digest);

    public static Stream OpenTar(BlobStore store, LayerResult result)
    {
        Stream blob = File.OpenRead(PathOf(store, result));
        return result.Descriptor.MediaType.EndsWith("gzip", StringComparison.Ordinal) ? new GZipStream(blob, CompressionMode.Decompress) : blob;
    }

    /// <summary>sha256 of the decompressed blob, the diff_id computed the slow, obvious way.</summary>
    public static string TarSha256(BlobStore store, LayerResult result)
    {
        using var tar = OpenTar(store, result);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar));
    }

    public static string BlobSha256(BlobStore store, LayerResult result)
    {
        using var blob = File.OpenRead(PathOf(store, result));
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
    }

    public static List<Member> ReadMembers(BlobStore store, LayerResult result)
    {
        using var tar = OpenTar(store, result);
        using var reader = new TarReader(tar);
        var members = new List<Member>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            var posix = (PosixTarEntry)entry;
            members.Add(new Member(entry.Name, entry.EntryType, entry.Mode, entry.Uid, entry.Gid, posix.UserName, posix.GroupName, entry.ModificationTime, entry.LinkName, content.ToArray()));
        }
        return members;
    }
}
