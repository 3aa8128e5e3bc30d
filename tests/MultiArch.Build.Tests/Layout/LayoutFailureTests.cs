using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;
using Xunit.Abstractions;

namespace MultiArch.Build.Tests.Layout;

/// <summary>
/// A layout or archive that cannot be written fails with a code that says what to do, and leaves the previous layout
/// (old index.json) or, for a new one, nothing. The full disk is real: a 1 MiB tmpfs, which needs root.
/// </summary>
public class LayoutFailureTests
{
    private const int DiskKilobytes = 1024;

    /// <summary>An image whose one layer is <paramref name="size"/> random bytes (incompressible, so it takes its size on disk).</summary>
    private static ImageArtifact ImageWithLayer(BlobStore store, int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        var layer = store.Put(MediaTypes.OciLayerGzip, bytes);
        var config = new ImageConfig { OS = "linux", Architecture = "amd64", RootFs = new RootFs { DiffIds = [layer.Digest] } };
        var configDescriptor = store.Put(MediaTypes.OciConfig, OciJson.Serialize(config));
        var manifest = new ImageManifest { MediaType = MediaTypes.OciManifest, Config = configDescriptor, Layers = [layer] };
        var blobs = new[] { configDescriptor, layer }.Select(d => new BlobContent(d, store)).ToList();
        return new ImageArtifact(manifest, OciJson.Serialize(manifest), new Platform { OS = "linux", Architecture = "amd64" }, blobs);
    }

    // Mounting a small tmpfs needs root, which CI has: without it the full-disk cases fail, never pass unrun.
    private static SmallDisk Disk(TempFolder temp) => SmallDisk.Mount(temp.Combine("disk"), DiskKilobytes);

    private static IEnumerable<string> TempFiles(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFileSystemEntries(folder, ".*", SearchOption.AllDirectories) : [];

    [Fact]
    public async Task ALayoutPathUnderAFileIsACodedErrorAndCreatesNothing()
    {
        using var temp = new TempFolder();
        var image = ImageWithLayer(new BlobStore(temp.Combine("store")), 100, 900);
        File.WriteAllText(temp.Combine("file"), "a regular file");

        var under = await Assert.ThrowsAsync<MabException>(() => new OciLayoutDestination(temp.Combine("file", "out", "layout")).WriteImageAsync(image, ["latest"], default));
        var itself = await Assert.ThrowsAsync<MabException>(() => new OciLayoutDestination(temp.Combine("file")).WriteImageAsync(image, ["latest"], default));
        var archive = await Assert.ThrowsAsync<MabException>(() => new OciArchiveDestination(temp.Combine("file", "image.tar")).WriteImageAsync(image, ["latest"], default));

        Assert.Equal(ErrorCode.LayoutPathUnusable, under.Code);
        Assert.Contains($"'{temp.Combine("file")}' is a file", under.Message);
        Assert.Contains("ContainerLayoutPath", under.Message);
        Assert.Equal(ErrorCode.LayoutPathUnusable, itself.Code);
        Assert.Equal(ErrorCode.LayoutPathUnusable, archive.Code);
        Assert.Contains("ContainerArchiveOutputPath", archive.Message);
        Assert.Equal("a regular file", File.ReadAllText(temp.Combine("file")));
        Assert.Equal(["file", "store"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task AFullDiskFailsANewLayoutWithACodeAndLeavesNothing()
    {
        using var temp = new TempFolder();
        using var disk = Disk(temp);
        var image = ImageWithLayer(new BlobStore(temp.Combine("store")), 2 * DiskKilobytes * 1024, 901);

        var nested = await Assert.ThrowsAsync<MabException>(() => new OciLayoutDestination(disk.Combine("a", "layout")).WriteImageAsync(image, ["latest"], default));
        // The mount point itself: an empty folder that must stay, and be empty again.
        var root = await Assert.ThrowsAsync<MabException>(() => new OciLayoutDestination(disk.Path).WriteImageAsync(image, ["latest"], default));

        Assert.Equal(ErrorCode.LayoutWriteFailed, nested.Code);
        Assert.Contains("No space left on device", nested.Message);
        Assert.Contains("The disk is full", nested.Message);
        Assert.Contains("Nothing was left behind", nested.Message);
        Assert.Equal(ErrorCode.LayoutWriteFailed, root.Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(disk.Path));
    }

    [Fact]
    public async Task AFullDiskKeepsAnExistingLayoutValidWithItsOldIndex()
    {
        using var temp = new TempFolder();
        using var disk = Disk(temp);
        var store = new BlobStore(temp.Combine("store"));
        string layout = disk.Combine("layout");
        await new OciLayoutDestination(layout).WriteImageAsync(ImageWithLayer(store, 10_000, 902), ["small"], default);
        byte[] before = File.ReadAllBytes(Path.Combine(layout, "index.json"));

        var error = await Assert.ThrowsAsync<MabException>(() => new OciLayoutDestination(layout).WriteImageAsync(ImageWithLayer(store, 2 * DiskKilobytes * 1024, 903), ["small", "big"], default));

        Assert.Equal(ErrorCode.LayoutWriteFailed, error.Code);
        Assert.Contains("index.json is unchanged", error.Message);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(layout, "index.json")));
        Assert.Empty(TempFiles(layout));
        await LayoutAssert.CompleteAsync(layout);
    }

    [Fact]
    public async Task AFullDiskLeavesAnArchiveAsItWasOrNoArchive()
    {
        using var temp = new TempFolder();
        using var disk = Disk(temp);
        var store = new BlobStore(temp.Combine("store"));
        var big = ImageWithLayer(store, 2 * DiskKilobytes * 1024, 905);

        var fresh = await Assert.ThrowsAsync<MabException>(() => new OciArchiveDestination(disk.Combine("out", "new.tar")).WriteImageAsync(big, ["latest"], default));
        Assert.Equal(ErrorCode.LayoutWriteFailed, fresh.Code);
        Assert.Contains("No archive was written", fresh.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(disk.Path));

        string archive = disk.Combine("image.tar");
        await new OciArchiveDestination(archive).WriteImageAsync(ImageWithLayer(store, 10_000, 904), ["small"], default);
        byte[] before = File.ReadAllBytes(archive);
        var existing = await Assert.ThrowsAsync<MabException>(() => new OciArchiveDestination(archive).WriteImageAsync(big, ["big"], default));

        Assert.Equal(ErrorCode.LayoutWriteFailed, existing.Code);
        Assert.Contains("The archive is unchanged", existing.Message);
        Assert.Equal(before, File.ReadAllBytes(archive));
        Assert.Equal(["image.tar"], Directory.EnumerateFileSystemEntries(disk.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ACanceledWriteOfANewLayoutLeavesNothing()
    {
        using var temp = new TempFolder();
        var image = ImageWithLayer(new BlobStore(temp.Combine("store")), 100_000, 906);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new OciLayoutDestination(temp.Combine("layout")).WriteImageAsync(image, ["latest"], cancel.Token));

        Assert.False(Directory.Exists(temp.Combine("layout")));
    }
}
