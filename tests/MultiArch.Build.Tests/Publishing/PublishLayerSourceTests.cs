using MultiArch.Build.Layers;
using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tests.Publishing;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PublishLayerSourceTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mab-pls-" + Guid.NewGuid().ToString("N"));

    public PublishLayerSourceTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "runtimes", "linux-x64"));
        Directory.CreateDirectory(Path.Combine(_root, "wwwroot"));
        Write("App", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // 0700 apphost
        Write("App.dll", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite); // 0660 (umask 007)
        Write("runtimes/linux-x64/native.so", (UnixFileMode)0b111_111_101); // 0775 (umask 002)
        Write("nuget.dll", (UnixFileMode)0b111_100_100); // 0744, as NuGet extracts
        Write("wwwroot/site.css", (UnixFileMode)0b110_110_100); // 0664 (umask 002)
        File.SetUnixFileMode(Path.Combine(_root, "runtimes"), (UnixFileMode)0b111_111_000); // 0770
    }

    [Fact]
    public void EveryFileOfThePublishFolderGoesInWithUmaskIndependentModes()
    {
        // The file list names only some files: files the SDK copied with its own targets are in the folder too.
        var platform = new PublishedPlatform(new PlatformTarget(RidPlatformTable.GetPlatform("linux-x64"), "linux-x64"), "base", _root,
            [new("x", "App"), new("x", "App.dll")]);
        var entries = PublishLayerSource.EntriesFor(platform, "/app/");

        Assert.Equal(["/app", "/app/App", "/app/App.dll", "/app/nuget.dll", "/app/runtimes", "/app/runtimes/linux-x64", "/app/runtimes/linux-x64/native.so",
            "/app/wwwroot", "/app/wwwroot/site.css"], entries.Select(e => e.ImagePath));
        var modes = entries.ToDictionary(e => e.ImagePath, e => Convert.ToString((int)e.Mode, 8));
        Assert.Equal("755", modes["/app"]);
        Assert.Equal("755", modes["/app/runtimes"]);
        Assert.Equal("755", modes["/app/App"]);
        Assert.Equal("644", modes["/app/App.dll"]);
        Assert.Equal("755", modes["/app/nuget.dll"]);
        Assert.Equal("755", modes["/app/runtimes/linux-x64/native.so"]);
        Assert.Equal("644", modes["/app/wwwroot/site.css"]);
    }

    [Theory]
    [InlineData(LayerEntryKind.File, 0b110_100_100, "644")]
    [InlineData(LayerEntryKind.File, 0b110_110_110, "644")] // umask 000
    [InlineData(LayerEntryKind.File, 0b111_100_100, "755")] // NuGet's 0744
    [InlineData(LayerEntryKind.File, 0b111_000_000, "755")]
    [InlineData(LayerEntryKind.File, 0b110_100_101, "755")]
    [InlineData(LayerEntryKind.Directory, 0b111_000_000, "755")]
    [InlineData(LayerEntryKind.Symlink, 0b111_111_111, "777")]
    public void ModeRule(LayerEntryKind kind, int mode, string expected) =>
        Assert.Equal(expected, Convert.ToString((int)PublishLayerSource.ImageModeOf(kind, (UnixFileMode)mode), 8));

    private void Write(string relative, UnixFileMode mode)
    {
        string path = Path.Combine(_root, relative);
        File.WriteAllText(path, relative);
        File.SetUnixFileMode(path, mode);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
