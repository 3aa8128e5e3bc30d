using System.Formats.Tar;
using MultiArch.Build.Blobs;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Layout;

public class OciArchiveDestinationTests
{
    [Fact]
    public async Task ArchiveRoundTripsThroughTheReaderAndSkopeo()
    {
        using var temp = new TempFolder();
        var index = await TestImages.BuildIndexAsync(new BlobStore(temp.Combine("store")), "archive");
        string archive = temp.Combine("out", "image.tar");

        var result = await new OciArchiveDestination(archive).WriteIndexAsync(index, ["1.0"], default);

        Assert.Equal([$"oci-archive:{archive}:1.0"], result.References);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(temp.Combine("out")), e => Path.GetFileName(e) != "image.tar");
        using (var reader = await OciLayoutReader.OpenAsync(archive))
        {
            var entry = reader.Find("1.0")!;
            Assert.Equal(index.Descriptor.Digest, entry.Digest);
            var readIndex = reader.ReadIndex(entry);
            Assert.Equal(index.IndexBytes, OciJson.Serialize(readIndex));
            var arm64 = reader.ReadManifest(readIndex.Manifests[1]);
            Assert.Equal("v8", readIndex.Manifests[1].Platform!.Variant);
            Assert.Equal(index.Images[1].Manifest.Layers.Select(l => l.Digest), arm64.Layers.Select(l => l.Digest));
        }

        var raw = ProcessRunner.RunChecked("skopeo", "inspect", "--raw", $"oci-archive:{archive}:1.0");
        Assert.Equal(System.Text.Encoding.UTF8.GetString(index.IndexBytes), raw.Output.Trim());

        // skopeo also unpacks every blob and writes them back as a layout our reader then reads.
        string copy = temp.Combine("copy");
        ProcessRunner.RunChecked("skopeo", "copy", "--all", $"oci-archive:{archive}:1.0", $"oci:{copy}:copied");
        await LayoutAssert.CompleteAsync(copy);
        using (var copied = await OciLayoutReader.OpenAsync(copy))
            Assert.Equal(index.Descriptor.Digest, copied.Find("copied")!.Digest);

        // And an archive skopeo wrote reads back the same.
        string skopeoArchive = temp.Combine("skopeo.tar");
        ProcessRunner.RunChecked("skopeo", "copy", "--all", $"oci:{copy}:copied", $"oci-archive:{skopeoArchive}:again");
        using var fromSkopeo = await OciLayoutReader.OpenAsync(skopeoArchive);
        Assert.Equal(index.Descriptor.Digest, fromSkopeo.Find("again")!.Digest);
        await LayoutAssert.CompleteAsync(fromSkopeo.Root);
    }

    [Fact]
    public async Task ArchiveIsDeterministicUstarWithSortedEntries()
    {
        using var temp = new TempFolder();
        var store = new BlobStore(temp.Combine("store"));
        string first = temp.Combine("first.tar");
        string second = temp.Combine("second.tar");
        await new OciArchiveDestination(first).WriteIndexAsync(await TestImages.BuildIndexAsync(store, "same"), ["latest"], default);
        await new OciArchiveDestination(second).WriteIndexAsync(await TestImages.BuildIndexAsync(store, "same"), ["latest"], default);

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        var names = new List<string>();
        await using var stream = File.OpenRead(first);
        using var tar = new TarReader(stream);
        while (tar.GetNextEntry() is { } entry)
        {
            // The layers' tar writer: ustar headers for these short names, the layers' fixed mtime.
            Assert.Equal(TarEntryFormat.Ustar, entry.Format);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(MultiArch.Build.Layers.LayerWriterOptions.MtimeFromEnvironment()), entry.ModificationTime);
            Assert.Equal(0, entry.Uid);
            Assert.Equal(0, entry.Gid);
            names.Add(entry.Name);
        }
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains("oci-layout", names);
        Assert.Contains("index.json", names);
        Assert.Contains("blobs/sha256/", names);
    }

    [Fact]
    public async Task WritingIntoAnArchiveKeepsItsOtherRefs()
    {
        using var temp = new TempFolder();
        var store = new BlobStore(temp.Combine("store"));
        string archive = temp.Combine("image.tar");
        var one = await TestImages.BuildAsync(store, TestImages.Amd64, "one");
        var two = await TestImages.BuildIndexAsync(store, "two");
        await new OciArchiveDestination(archive).WriteImageAsync(one, ["one"], default);
        await new OciArchiveDestination(archive).WriteIndexAsync(two, ["two"], default);

        using var reader = await OciLayoutReader.OpenAsync(archive);
        Assert.Equal(["one", "two"], reader.RefNames);
        Assert.Equal(one.Descriptor.Digest, reader.Find("one")!.Digest);
        await LayoutAssert.CompleteAsync(reader.Root);
        ProcessRunner.RunChecked("skopeo", "inspect", "--raw", $"oci-archive:{archive}:one");
    }

    [Fact]
    public async Task AFailedWriteLeavesTheArchiveUnchanged()
    {
        using var temp = new TempFolder();
        var store = new BlobStore(temp.Combine("store"));
        string archive = temp.Combine("image.tar");
        await new OciArchiveDestination(archive).WriteIndexAsync(await TestImages.BuildIndexAsync(store, "good"), ["latest"], default);
        byte[] before = File.ReadAllBytes(archive);

        var broken = await OciLayoutDestinationTests.ImageWithBrokenLayerAsync(store);
        await Assert.ThrowsAsync<IOException>(() => new OciArchiveDestination(archive).WriteImageAsync(broken, ["latest"], default));

        Assert.Equal(before, File.ReadAllBytes(archive));
        Assert.Equal(["image.tar"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName).Where(n => n != "store"));
    }
}
