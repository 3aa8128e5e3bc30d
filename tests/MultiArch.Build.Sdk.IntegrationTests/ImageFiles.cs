namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// Unpacks one platform of a pushed image with skopeo and umoci (independent tools) and compares its app
/// folder with the folder `dotnet publish` wrote, file by file: paths, bytes and modes.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ImageFiles : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "mab-e2e-unpack-" + Guid.NewGuid().ToString("N"));

    private ImageFiles(string rootfs) => RootFs = rootfs;

    /// <summary>The unpacked root file system.</summary>
    public string RootFs { get; private set; }

    public static ImageFiles Unpack(string reference, string architecture = "amd64")
    {
        var files = new ImageFiles("");
        Directory.CreateDirectory(files._work);
        string layout = Path.Combine(files._work, "layout");
        string bundle = Path.Combine(files._work, "bundle");
        ProcessRunner.RunChecked("skopeo", "copy", "--src-tls-verify=false", "--override-os", "linux", "--override-arch", architecture,
            "docker://" + reference, "oci:" + layout + ":image");
        ProcessRunner.RunChecked("umoci", "unpack", "--image", layout + ":image", bundle);
        files.RootFs = Path.Combine(bundle, "rootfs");
        return files;
    }

    /// <summary>
    /// The image's <paramref name="imageFolder"/> holds exactly the files and folders of <paramref name="publishDir"/>, with the
    /// same bytes, and modes by the documented rule: 0755 for folders and for files with any execute bit, 0644 for other files.
    /// </summary>
    public void AssertSameAs(string publishDir, string imageFolder = "app")
    {
        string image = Path.Combine(RootFs, imageFolder);
        var expected = Tree(publishDir);
        var actual = Tree(image);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (relative, isDirectory) in expected)
        {
            string source = Path.Combine(publishDir, relative);
            string target = Path.Combine(image, relative);
            Assert.Equal(isDirectory, actual[relative]);
            var sourceMode = File.GetUnixFileMode(source);
            bool executable = isDirectory || (sourceMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
            string expectedMode = executable ? "755" : "644";
            Assert.True(expectedMode == Octal(File.GetUnixFileMode(target)),
                $"{relative}: mode {Octal(File.GetUnixFileMode(target))} in the image, {Octal(sourceMode)} in the publish folder; expected {expectedMode}");
            if (!isDirectory)
                Assert.True(File.ReadAllBytes(source).AsSpan().SequenceEqual(File.ReadAllBytes(target)), $"{relative} differs from the published file");
        }
    }

    /// <summary>The folder a platform's publish wrote: <c>bin/…/multiarch/&lt;rid&gt;/publish</c> (a self-contained app's output path has a RID of its own).</summary>
    public static string PublishFolderOf(string appDirectory, string rid = "linux-x64") =>
        Assert.Single(Directory.GetDirectories(Path.Combine(appDirectory, "bin"), "publish", SearchOption.AllDirectories),
            d => d.EndsWith(Path.Combine("multiarch", rid, "publish"), StringComparison.Ordinal));

    /// <summary>Every file and folder under <paramref name="root"/>, relative, with whether it is a folder.</summary>
    public static Dictionary<string, bool> Tree(string root) =>
        new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .ToDictionary(i => Path.GetRelativePath(root, i.FullName), i => i is DirectoryInfo, StringComparer.Ordinal);

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8);

    public void Dispose()
    {
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
