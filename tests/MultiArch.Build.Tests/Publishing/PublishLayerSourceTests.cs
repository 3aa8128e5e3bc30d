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
        Directory.CreateDirectory(Path.Combine(_root, "stale-dir"));
        Write("App", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // 0700 apphost
        Write("App.dll", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite); // 0660 (umask 007)
        Write("runtimes/linux-x64/native.so", (UnixFileMode)0b111_111_101); // 0775 (umask 002)
        Write("stale.dll", (UnixFileMode)0b110_100_100);
        Write("stale-dir/old.txt", (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(Path.Combine(_root, "runtimes"), (UnixFileMode)0b111_111_000); // 0770
    }

    [Fact]
    public void OnlyPublishedFilesGoInWithUmaskIndependentModes()
    {
        var platform = new PublishedPlatform(new PlatformTarget(RidPlatformTable.GetPlatform("linux-x64"), "linux-x64"), "base", _root,
            [new("x", "App"), new("x", "App.dll"), new("x", "runtimes/linux-x64/native.so")]);
        var entries = PublishLayerSource.EntriesFor(platform, "/app/");

        Assert.Equal(["/app", "/app/App", "/app/App.dll", "/app/runtimes", "/app/runtimes/linux-x64", "/app/runtimes/linux-x64/native.so"],
            entries.Select(e => e.ImagePath));
        var modes = entries.ToDictionary(e => e.ImagePath, e => Convert.ToString((int)e.Mode, 8));
        Assert.Equal("755", modes["/app"]);
        Assert.Equal("755", modes["/app/runtimes"]);
        Assert.Equal("755", modes["/app/App"]);
        Assert.Equal("644", modes["/app/App.dll"]);
        Assert.Equal("755", modes["/app/runtimes/linux-x64/native.so"]);
    }

    [Fact]
    public void WithoutAFileListTheWholeFolderGoesIn()
    {
        var platform = new PublishedPlatform(new PlatformTarget(RidPlatformTable.GetPlatform("linux-x64"), "linux-x64"), "base", _root, []);
        var entries = PublishLayerSource.EntriesFor(platform, "/srv/app");
        Assert.Contains(entries, e => e.ImagePath == "/srv/app/stale-dir/old.txt" && e.Kind == LayerEntryKind.File);
        Assert.All(entries, e => Assert.StartsWith("/srv/app", e.ImagePath));
    }

    private void Write(string relative, UnixFileMode mode)
    {
        string path = Path.Combine(_root, relative);
        File.WriteAllText(path, relative);
        File.SetUnixFileMode(path, mode);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
