using System.Text.Json;

namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// Real <c>dotnet publish</c> runs for Windows through the packed package, on the synthetic base index of
/// <see cref="WindowsImages.MakeBase"/> (linux/amd64, and windows/amd64 for 10.0.17763 and 10.0.20348), checked with skopeo and
/// with Python's tarfile. No Windows host is here to run the images; what Windows reads is checked by its structure.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class WindowsImagesTests(SdkFixture fixture)
{
    private const string Program = """Console.WriteLine("Hello from a Windows container");""";

    [Fact]
    public async Task OnePublishForLinuxAndWindowsPushesOneIndexWithAnImagePerWindowsVersion()
    {
        using var app = new AppProject(fixture, "WinApp", AppProject.ConsoleProperties(), Program);
        string baseLayout = Path.Combine(app.Root, "windows-base");
        WindowsImages.MakeBase(baseLayout);
        string repository = $"{fixture.Registry}/e2e/windows";

        var publish = app.Publish("ContainerPlatforms=\"linux-x64;win-x64\"", $"ContainerBaseImage=oci:{baseLayout}:{WindowsImages.BaseTag}",
            $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/windows", "ContainerImageTags=1.0", "ContainerGenerateSbom=true");
        Assert.True(publish.ExitCode == 0, publish.All);

        var entries = Skopeo.InspectRaw(repository + ":1.0").GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(["linux", "windows", "windows"], entries.Select(e => e.GetProperty("platform").GetProperty("os").GetString()));
        Assert.Equal(WindowsImages.BaseVersions, entries.Skip(1).Select(e => e.GetProperty("platform").GetProperty("os.version").GetString()));
        foreach (var (entry, version) in entries.Skip(1).Zip(WindowsImages.BaseVersions))
        {
            string image = $"{repository}@{entry.GetProperty("digest").GetString()}";
            var config = Skopeo.Config(image);
            Assert.Equal(version, config.GetProperty("os.version").GetString());
            Assert.Equal(@"C:\app\", config.GetProperty("config").GetProperty("WorkingDir").GetString());
            Assert.Equal("ContainerUser", config.GetProperty("config").GetProperty("User").GetString());
            Assert.Equal(["dotnet.exe", @"C:\app\WinApp.dll"], config.GetProperty("config").GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
            // Each image's SBOM is its referrer, under the referrers tag of its digest.
            Assert.Contains("sha256-" + entry.GetProperty("digest").GetString()!["sha256:".Length..], Skopeo.Tags(repository) ?? []);
        }
        var linux = Skopeo.Config($"{repository}@{entries[0].GetProperty("digest").GetString()}");
        Assert.Equal("/app/", linux.GetProperty("config").GetProperty("WorkingDir").GetString());

        // The app layer of the newest Windows image, copied out by skopeo and read by Python's tarfile.
        string copy = Path.Combine(app.Root, "copy");
        await Skopeo.CopyToLayoutAsync($"{repository}@{entries[2].GetProperty("digest").GetString()}", copy, "win");
        var layers = Skopeo.LayerDigests(Skopeo.InspectRaw($"{repository}@{entries[2].GetProperty("digest").GetString()}"));
        var members = WindowsImages.ReadLayer(Path.Combine(copy, "blobs", "sha256", layers[^1]["sha256:".Length..]));
        var names = members.Select(m => m.Name).ToList();
        Assert.Contains("Files/app/WinApp.dll", names);
        Assert.Contains("Files/app/WinApp.exe", names);
        Assert.Equal(["Files", "Files/app"], names.Take(2));
        Assert.Equal("Hives", names[^1]);
        Assert.All(members, m => Assert.True(m.Pax.ContainsKey("MSWINDOWS.fileattr") && m.Pax.ContainsKey("MSWINDOWS.rawsd"), m.Name));

        // containerd takes the mixed index whole, and picks a Windows image for windows/amd64. (This containerd, 1.6,
        // cannot parse a platform with an os.version, so its choice among the Windows versions is not asked.)
        using var containerd = ContainerdDaemon.Start();
        containerd.Ctr("image", "pull", "--plain-http", "--all-platforms", repository + ":1.0");
        Assert.Contains("unpacking windows/amd64", containerd.Pull(repository + ":1.0", "windows/amd64").Output);
    }

    [Fact]
    public void ASelfContainedAppForOneWindowsVersionGoesToALayout()
    {
        using var app = new AppProject(fixture, "WinSelf", AppProject.ConsoleProperties("<SelfContained>true</SelfContained>"), Program);
        string baseLayout = Path.Combine(app.Root, "windows-base");
        WindowsImages.MakeBase(baseLayout);

        string layout = Path.Combine(app.Root, "layout");
        var publish = app.Publish("ContainerPlatforms=\"windows(10.0.20348)/amd64\"", $"ContainerBaseImage=oci:{baseLayout}:{WindowsImages.BaseTag}", $"ContainerLayoutPath={layout}");
        Assert.True(publish.ExitCode == 0, publish.All);

        var entry = Assert.Single(JsonDocument.Parse(ProcessRunner.RunChecked("skopeo", "inspect", "--raw", $"oci:{layout}:latest").Output).RootElement.GetProperty("manifests").EnumerateArray());
        Assert.Equal("10.0.20348.2340", entry.GetProperty("platform").GetProperty("os.version").GetString());
        string Blob(string digest) => Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);
        var manifest = JsonDocument.Parse(File.ReadAllBytes(Blob(entry.GetProperty("digest").GetString()!))).RootElement;
        var config = JsonDocument.Parse(File.ReadAllBytes(Blob(manifest.GetProperty("config").GetProperty("digest").GetString()!))).RootElement;
        Assert.Equal([@"C:\app\WinSelf.exe"], config.GetProperty("config").GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));

        // The base's layer, then the runtime (the win-x64 runtime pack) and the app, each a Windows layer.
        var layers = manifest.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList();
        var runtime = WindowsImages.ReadLayer(Blob(layers[1])).Select(m => m.Name).ToList();
        var appLayer = WindowsImages.ReadLayer(Blob(layers[^1])).Select(m => m.Name).ToList();
        Assert.Contains("Files/app/coreclr.dll", runtime);
        Assert.Contains("Files/app/WinSelf.exe", appLayer);
        Assert.All(runtime.Concat(appLayer), n => Assert.True(n is "Files" or "Hives" || n.StartsWith("Files/app", StringComparison.Ordinal), n));
    }
}
