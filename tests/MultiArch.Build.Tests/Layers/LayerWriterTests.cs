using System.Formats.Tar;
using System.IO.Compression;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Layers;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Layers;

public class LayerWriterTests
{
    private static readonly LayerWriterOptions Options = LayerGoldenTests.FixedOptions;

    [Fact]
    public async Task AddsEveryParentDirectoryWithFixedModeAndOwner()
    {
        using var folder = new ScratchFolder();
        string source = folder.File("src/z.txt", "zz", (UnixFileMode)0x1A0); // 0640
        var store = new BlobStore(folder.Combine("blobs"));

        var result = await new LayerWriter(Options).WriteAsync([LayerEntry.File("/opt/x/y/z.txt", source, (UnixFileMode)0x1A0)], store, default);

        var members = LayerBlob.ReadMembers(store, result);
        Assert.Equal(["opt/", "opt/x/", "opt/x/y/", "opt/x/y/z.txt"], members.Select(m => m.Name));
        Assert.All(members.Take(3), m => Assert.Equal((TarEntryType.Directory, GoldenTree.Rwxr_xr_x, 0, 0), (m.Type, m.Mode, m.Uid, m.Gid)));
        Assert.Equal((UnixFileMode)0x1A0, members[3].Mode);
        Assert.All(members, m => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(LayerWriterOptions.DefaultMtime), m.Mtime));
    }

    [Fact]
    public async Task AnExplicitDirectoryKeepsItsOwnMode()
    {
        using var folder = new ScratchFolder();
        string source = folder.File("src/f", "f", GoldenTree.Rw_r__r__);
        var store = new BlobStore(folder.Combine("blobs"));
        LayerEntry[] entries = [LayerEntry.File("/a/b/f", source, GoldenTree.Rw_r__r__), LayerEntry.Directory("/a/b", GoldenTree.Rwxr_x___)];

        var result = await new LayerWriter(Options).WriteAsync(entries, store, default);

        var members = LayerBlob.ReadMembers(store, result).ToDictionary(m => m.Name);
        Assert.Equal(GoldenTree.Rwxr_xr_x, members["a/"].Mode);
        Assert.Equal(GoldenTree.Rwxr_x___, members["a/b/"].Mode);
    }

    [Fact]
    public async Task InputOrderDoesNotChangeTheBytes()
    {
        using var folder = new ScratchFolder();
        string root = GoldenTree.Create(folder);
        var entries = LayerEntries.FromDirectory(root, "/app");
        var store = new BlobStore(folder.Combine("blobs"));

        var sorted = await new LayerWriter(Options).WriteAsync(entries, store, default);
        var reversed = await new LayerWriter(Options).WriteAsync(entries.Reverse(), store, default);
        var withoutDirectories = await new LayerWriter(Options).WriteAsync(
            entries.Where(e => e.Kind != LayerEntryKind.Directory || e.Mode != GoldenTree.Rwxr_xr_x), store, default);

        Assert.Equal(sorted.Descriptor.Digest, reversed.Descriptor.Digest);
        Assert.Equal(sorted.DiffId, withoutDirectories.DiffId);
    }

    [Fact]
    public async Task StoresConfiguredOwnersIncludingOnesTooLargeForUstar()
    {
        using var folder = new ScratchFolder();
        string source = folder.File("src/f", "f", GoldenTree.Rw_r__r__);
        var store = new BlobStore(folder.Combine("blobs"));
        var options = Options with { Uid = 1000, Gid = 3_000_000 };

        var result = await new LayerWriter(options).WriteAsync([LayerEntry.File("/f", source, GoldenTree.Rw_r__r__)], store, default);

        var member = Assert.Single(LayerBlob.ReadMembers(store, result));
        Assert.Equal((1000, 3_000_000, "", ""), (member.Uid, member.Gid, member.UserName, member.GroupName));
        Assert.Contains("1000/3000000", Assert.Single(SystemTar.Listing(LayerBlob.PathOf(store, result))));
    }

    [Fact]
    public async Task AVanishedFileIsACodedErrorAndLeavesNothingBehind()
    {
        using var folder = new ScratchFolder();
        var store = new BlobStore(folder.Combine("blobs"));
        string gone = folder.Combine("src", "gone.dll");

        var error = await Assert.ThrowsAsync<MabException>(() =>
            new LayerWriter(Options).WriteAsync([LayerEntry.File("/app/gone.dll", gone, GoldenTree.Rw_r__r__)], store, default));

        Assert.Equal(ErrorCode.LayerSourceVanished, error.Code);
        Assert.Contains(gone, error.Message);
        Assert.Empty(Directory.GetFiles(store.Root, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("/proc/self/stat", "grew")]
    [InlineData("/sys/devices/system/cpu/online", "shrank")]
    public async Task AFileThatChangesSizeWhileReadIsACodedError(string source, string how)
    {
        // Kernel files are exactly such files: /proc reports size 0 when opened and then yields
        // content; sysfs reports 4096 and yields a few bytes.
        using var folder = new ScratchFolder();
        var store = new BlobStore(folder.Combine("blobs"));

        var error = await Assert.ThrowsAsync<MabException>(() =>
            new LayerWriter(Options).WriteAsync([LayerEntry.File("/x", source, GoldenTree.Rw_r__r__)], store, default));

        Assert.Equal(ErrorCode.LayerSourceChanged, error.Code);
        Assert.Contains($"{source} {how}", error.Message);
        Assert.Empty(Directory.GetFiles(store.Root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task VeryLongAndNonAsciiPathsRoundTripThroughTarReaderAndTar()
    {
        using var folder = new ScratchFolder();
        string source = folder.File("src/f", "content", GoldenTree.Rw_r__r__);
        var store = new BlobStore(folder.Combine("blobs"));
        string deep = "/app/" + string.Join('/', Enumerable.Repeat(new string('ä', 60), 5)) + "/データ.json";
        string linkTarget = string.Join('/', Enumerable.Repeat("..", 3)) + "/" + new string('z', 200);
        LayerEntry[] entries = [LayerEntry.File(deep, source, GoldenTree.Rw_r__r__), LayerEntry.Symlink("/app/ссылка", linkTarget)];

        var result = await new LayerWriter(Options).WriteAsync(entries, store, default);

        var members = LayerBlob.ReadMembers(store, result).ToDictionary(m => m.Name);
        Assert.Equal("content"u8.ToArray(), members[deep[1..]].Content);
        Assert.Equal(linkTarget, members["app/ссылка"].LinkName);
        string[] listing = SystemTar.Listing(LayerBlob.PathOf(store, result));
        Assert.Contains(listing, line => line.EndsWith(" " + deep[1..], StringComparison.Ordinal));
        Assert.Contains(listing, line => line.EndsWith(" app/ссылка -> " + linkTarget, StringComparison.Ordinal));
        Assert.DoesNotContain(listing, line => line.Contains("PaxHeaders", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("relative/path")]
    [InlineData("/a/../b")]
    [InlineData("/a//b")]
    [InlineData("/./a")]
    [InlineData("/")]
    public async Task RefusesPathsThatAreNotCleanAndAbsolute(string imagePath)
    {
        using var folder = new ScratchFolder();
        var error = await Assert.ThrowsAsync<MabException>(() =>
            new LayerWriter(Options).WriteAsync([LayerEntry.Directory(imagePath)], new BlobStore(folder.Path), default));
        Assert.Equal(ErrorCode.LayerInvalidImagePath, error.Code);
    }

    [Fact]
    public async Task RefusesTwoEntriesForOnePathAndAFileUsedAsADirectory()
    {
        using var folder = new ScratchFolder();
        string source = folder.File("f", "f", GoldenTree.Rw_r__r__);
        var writer = new LayerWriter(Options);
        var store = new BlobStore(folder.Combine("blobs"));

        var twice = await Assert.ThrowsAsync<MabException>(() => writer.WriteAsync(
            [LayerEntry.File("/a/f", source, GoldenTree.Rw_r__r__), LayerEntry.Symlink("/a/f/", "x")], store, default));
        var fileAsParent = await Assert.ThrowsAsync<MabException>(() => writer.WriteAsync(
            [LayerEntry.File("/a/f", source, GoldenTree.Rw_r__r__), LayerEntry.File("/a/f/g", source, GoldenTree.Rw_r__r__)], store, default));

        Assert.Equal(ErrorCode.LayerDuplicatePath, twice.Code);
        Assert.Equal(ErrorCode.LayerDuplicatePath, fileAsParent.Code);
        Assert.Contains("/a/f", fileAsParent.Message);
    }

    [Fact]
    public void RefusesCompressionsItCannotWriteAndMtimesOutOfRange()
    {
        var unknown = Assert.Throws<MabException>(() => new LayerWriter(Options with { Compression = (LayerCompression)7 }));
        var negative = Assert.Throws<MabException>(() => new LayerWriter(Options with { Mtime = -1 }));
        Assert.Equal(ErrorCode.LayerUnsupportedMediaType, unknown.Code);
        Assert.Equal(ErrorCode.LayerInvalidMtime, negative.Code);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerWriter(Options with { CompressionThreads = -1 }));
    }

    [Fact]
    public async Task AnUncompressedLayerIsThePlainTarWithDigestEqualToDiffId()
    {
        using var folder = new ScratchFolder();
        string root = GoldenTree.Create(folder);
        var store = new BlobStore(folder.Combine("blobs"));
        var entries = LayerEntries.FromDirectory(root, "/app");

        var plain = await new LayerWriter(Options with { Compression = LayerCompression.None }).WriteAsync(entries, store, default);
        var gzip = await new LayerWriter(Options).WriteAsync(entries, store, default);

        Assert.Equal(MediaTypes.OciLayerTar, plain.Descriptor.MediaType);
        Assert.Equal(plain.DiffId, plain.Descriptor.Digest);
        Assert.Equal(gzip.DiffId, plain.DiffId);
        Assert.Equal(plain.UncompressedSize, plain.Descriptor.Size);
        Assert.Equal(LayerBlob.BlobSha256(store, plain), plain.Descriptor.Digest.ToString());
        Assert.Equal(GoldenTree.Expected.Count, LayerBlob.ReadMembers(store, plain).Count);
    }

    [Theory]
    [InlineData(CompressionLevel.Optimal, 0x00)]
    [InlineData(CompressionLevel.Fastest, 0x04)]
    [InlineData(CompressionLevel.SmallestSize, 0x02)]
    public async Task TheGzipHeaderIsFixedForEachLevel(CompressionLevel level, byte extraFlags)
    {
        using var folder = new ScratchFolder();
        string source = folder.File("f", string.Concat(Enumerable.Repeat("compressible text ", 5000)), GoldenTree.Rw_r__r__);
        var store = new BlobStore(folder.Combine("blobs"));

        var result = await new LayerWriter(Options with { CompressionLevel = level }).WriteAsync([LayerEntry.File("/f", source, GoldenTree.Rw_r__r__)], store, default);

        byte[] header = File.ReadAllBytes(LayerBlob.PathOf(store, result))[..10];
        // ID1 ID2, deflate, no flags, MTIME 0, XFL for the level (RFC 1952), OS 3 = Unix.
        Assert.Equal(new byte[] { 0x1F, 0x8B, 8, 0, 0, 0, 0, 0, extraFlags, 3 }, header);
        Assert.Equal(LayerBlob.TarSha256(store, result), result.DiffId.ToString());
        Assert.True(result.Descriptor.Size < result.UncompressedSize / 10, "compressible text should compress");
    }

    [Fact]
    public async Task AnEmptyLayerIsJustTheEndOfArchive()
    {
        using var folder = new ScratchFolder();
        var store = new BlobStore(folder.Combine("blobs"));

        var result = await new LayerWriter(Options).WriteAsync([], store, default);

        Assert.Equal(1024, result.UncompressedSize);
        Assert.Equal(Digest.Compute(new byte[1024]), result.DiffId);
    }

    [Fact]
    public async Task CancellationStopsTheWriteAndRemovesTheTempFile()
    {
        using var folder = new ScratchFolder();
        string source = folder.File("f", "f", GoldenTree.Rw_r__r__);
        var store = new BlobStore(folder.Combine("blobs"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new LayerWriter(Options).WriteAsync([LayerEntry.File("/f", source, GoldenTree.Rw_r__r__)], store, new CancellationToken(canceled: true)));

        Assert.Empty(Directory.GetFiles(store.Root, "*", SearchOption.AllDirectories));
    }
}
