using MultiArch.Build.Diagnostics;
using MultiArch.Build.Layers;

namespace MultiArch.Build.Tests.Layers;

public class LayerEntriesTests
{
    [Fact]
    public void KeepsEachFilesOwnModeAndAddsNoExecBit()
    {
        using var folder = new ScratchFolder();
        string root = folder.Folder("p", GoldenTree.Rwxr_xr_x);
        folder.File("p/tool", "x", GoldenTree.Rwxr_xr_x);
        folder.File("p/data.bin", "x", GoldenTree.Rw_r__r__);
        folder.File("p/secret", "x", GoldenTree.Rw_______);
        folder.File("p/group-exec", "x", (UnixFileMode)0x1C8); // 0710

        var entries = LayerEntries.FromDirectory(root, "/app").ToDictionary(e => e.ImagePath);

        Assert.Equal(GoldenTree.Rwxr_xr_x, entries["/app/tool"].Mode);
        Assert.Equal(GoldenTree.Rw_r__r__, entries["/app/data.bin"].Mode);
        Assert.Equal(GoldenTree.Rw_______, entries["/app/secret"].Mode);
        Assert.Equal((UnixFileMode)0x1C8, entries["/app/group-exec"].Mode);
        Assert.All(entries.Values.Where(e => e.Kind == LayerEntryKind.File), e => Assert.Equal(LayerEntryKind.File, e.Kind));
    }

    [Fact]
    public void IncludesHiddenFilesAndEmptyFoldersSortedByPath()
    {
        using var folder = new ScratchFolder();
        string root = folder.Folder("p", GoldenTree.Rwxr_xr_x);
        folder.File("p/.env", "x", GoldenTree.Rw_r__r__);
        folder.Folder("p/empty", GoldenTree.Rwxr_x___);
        folder.File("p/b", "x", GoldenTree.Rw_r__r__);

        var entries = LayerEntries.FromDirectory(root, "/srv/app");

        Assert.Equal(["/srv/app", "/srv/app/.env", "/srv/app/b", "/srv/app/empty"], entries.Select(e => e.ImagePath));
        Assert.Equal(LayerEntryKind.Directory, entries[3].Kind);
        Assert.Equal(GoldenTree.Rwxr_x___, entries[3].Mode);
    }

    [Fact]
    public void StoresSymlinksAsSymlinksWithoutFollowingThem()
    {
        using var folder = new ScratchFolder();
        string root = folder.Folder("p", GoldenTree.Rwxr_xr_x);
        folder.File("p/real/file.txt", "x", GoldenTree.Rw_r__r__);
        folder.Symlink("p/dirlink", "real");
        folder.Symlink("p/real/up", "../real/file.txt");
        folder.Symlink("p/dangling", "not-there/yet");

        var entries = LayerEntries.FromDirectory(root, "/app").ToDictionary(e => e.ImagePath);

        Assert.Equal(LayerEntry.Symlink("/app/dirlink", "real"), entries["/app/dirlink"]);
        Assert.Equal(LayerEntry.Symlink("/app/real/up", "../real/file.txt"), entries["/app/real/up"]);
        Assert.Equal(LayerEntry.Symlink("/app/dangling", "not-there/yet"), entries["/app/dangling"]);
        Assert.DoesNotContain("/app/dirlink/file.txt", entries.Keys);
    }

    [Fact]
    public void AcceptsRelativeLinksThatStayInside()
    {
        using var folder = new ScratchFolder();
        string root = folder.Folder("p", GoldenTree.Rwxr_xr_x);
        folder.Folder("p/sub", GoldenTree.Rwxr_xr_x);
        folder.Symlink("p/sub/a", "../top");
        folder.Symlink("p/sub/b", "./../sub/../sub/a");

        var entries = LayerEntries.FromDirectory(root, "/app");

        Assert.Equal(2, entries.Count(e => e.Kind == LayerEntryKind.Symlink));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../../outside")]
    [InlineData("../../p/file")]
    [InlineData("../sub/../../x")]
    public void RefusesASymlinkThatEscapesTheFolder(string target)
    {
        using var folder = new ScratchFolder();
        string root = folder.Folder("p", GoldenTree.Rwxr_xr_x);
        folder.File("p/file", "x", GoldenTree.Rw_r__r__);
        folder.Folder("p/sub", GoldenTree.Rwxr_xr_x);
        folder.Symlink("p/sub/link", target);

        var error = Assert.Throws<MabException>(() => LayerEntries.FromDirectory(root, "/app"));
        Assert.Equal(ErrorCode.LayerSymlinkEscapesRoot, error.Code);
        Assert.Contains("sub/link", error.Message);
    }

    [Fact]
    public void RefusesAnEscapeThroughAnotherSymlink()
    {
        // "here/.." looks like "." but "here" is the folder itself, so it lands in the parent.
        using var folder = new ScratchFolder();
        string root = folder.Folder("p", GoldenTree.Rwxr_xr_x);
        folder.Symlink("p/here", ".");
        folder.Symlink("p/sneaky", "here/..");

        var error = Assert.Throws<MabException>(() => LayerEntries.FromDirectory(root, "/app"));
        Assert.Equal(ErrorCode.LayerSymlinkEscapesRoot, error.Code);
    }

    [Fact]
    public void RefusesASymlinkLoop()
    {
        using var folder = new ScratchFolder();
        string root = folder.Folder("p", GoldenTree.Rwxr_xr_x);
        folder.Symlink("p/a", "b/x");
        folder.Symlink("p/b", "a/y");

        var error = Assert.Throws<MabException>(() => LayerEntries.FromDirectory(root, "/app"));
        Assert.Equal(ErrorCode.LayerSymlinkEscapesRoot, error.Code);
    }

    [Fact]
    public void RefusesAFifo()
    {
        using var folder = new ScratchFolder();
        string root = folder.Folder("p", GoldenTree.Rwxr_xr_x);
        ProcessRunner.RunChecked("mkfifo", folder.Combine("p", "pipe"));

        var error = Assert.Throws<MabException>(() => LayerEntries.FromDirectory(root, "/app"));
        Assert.Equal(ErrorCode.LayerUnsupportedFileType, error.Code);
        Assert.Contains("pipe", error.Message);
    }

    [Fact]
    public void RefusesAMissingFolder()
    {
        using var folder = new ScratchFolder();
        var error = Assert.Throws<MabException>(() => LayerEntries.FromDirectory(folder.Combine("nope"), "/app"));
        Assert.Equal(ErrorCode.LayerSourceFolderMissing, error.Code);
    }

    [Fact]
    public void PlacesTheFolderAtTheImageRootWhenAskedTo()
    {
        using var folder = new ScratchFolder();
        string root = folder.Folder("p", GoldenTree.Rwxr_xr_x);
        folder.File("p/a", "x", GoldenTree.Rw_r__r__);

        var entries = LayerEntries.FromDirectory(root, "/");

        Assert.Equal(["/a"], entries.Select(e => e.ImagePath));
    }
}
