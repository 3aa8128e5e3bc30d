using System.Text.Json;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Indexes;
using MultiArch.Build.Layers;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Registry.Push;
using MultiArch.Build.Sources;
using MultiArch.Build.Tests.Registry;
using static MultiArch.Build.Tests.Registry.TestImages;

namespace MultiArch.Build.Tests.Publishing;

/// <summary>
/// Windows and Linux images from one publish, over a synthetic base index that Python's tarfile writes
/// (<see cref="WindowsImages.MakeBase"/>: linux/amd64, and windows/amd64 for 10.0.17763 with win32k and for 10.0.20348).
/// What is written is read back from the OCI layout as plain JSON and with Python's tarfile, never with the product's reader.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WindowsPublishTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _base;

    public WindowsPublishTests()
    {
        _base = _temp.Combine("base");
        WindowsImages.MakeBase(_base);
    }

    public void Dispose() => _temp.Dispose();

    private string BaseReference => $"oci:{_base}:{WindowsImages.BaseTag}";

    private PublishedPlatform Published(string spec, bool apphost)
    {
        var target = PlatformSpec.Parse(spec);
        string folder = _temp.Combine("publish-" + target.RuntimeIdentifier + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(Path.Combine(folder, "wwwroot"));
        var files = new List<PublishedFile>();
        void Add(string relative, string content, UnixFileMode mode, string? package = null)
        {
            string path = Path.Combine(folder, relative);
            File.WriteAllText(path, content);
            File.SetUnixFileMode(path, mode);
            files.Add(new PublishedFile(path, relative, package, package is null ? null : "runtime"));
        }
        Add("App.dll", "the app", (UnixFileMode)0x1A4);
        Add("App.deps.json", "{\"runtimeTarget\":\"" + target.RuntimeIdentifier + "\"}", (UnixFileMode)0x1A4);
        Add("Some.Package.dll", "a package", (UnixFileMode)0x1A4, "Some.Package");
        Add("wwwroot/site.css", "body{}", (UnixFileMode)0x1A4);
        if (apphost) Add(target.RuntimeIdentifier.StartsWith("win", StringComparison.Ordinal) ? "App.exe" : "App", "apphost", (UnixFileMode)0x1ED);
        return new PublishedPlatform(target, BaseReference, folder, files);
    }

    private async Task<(ContainerPublishResult Result, OutputLayout Layout)> PublishAsync(ExecutionArgs? execution, params PublishedPlatform[] platforms)
    {
        string layout = _temp.Combine("out-" + Guid.NewGuid().ToString("N")[..8]);
        var request = new ContainerPublishRequest
        {
            Platforms = platforms,
            Destination = new ImageDestinationSpec { Repository = "app", LayoutPath = layout, Tags = ["1.0"] },
            BlobCacheDirectory = _temp.Combine("obj", "blobs"),
            Execution = execution ?? new ExecutionArgs { AssemblyName = "App", TargetFileName = "App.dll" },
            Edits = new ImageConfigEdits { Created = DateTimeOffset.UnixEpoch },
        };
        var result = await ContainerPublishing.RunAsync(request, new CapturingLog(), null, null, CancellationToken.None);
        return (result, new OutputLayout(layout));
    }

    [Fact]
    public async Task OnePublishGivesOneIndexWithTheLinuxImageAndAnImagePerWindowsVersion()
    {
        var (result, layout) = await PublishAsync(null, Published("linux-x64", apphost: false), Published("win-x64", apphost: false));

        var entries = layout.Index().GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(3, entries.Count);
        Assert.Equal(3, result.Images.Count);
        Assert.Equal(["linux", "windows", "windows"], entries.Select(e => e.GetProperty("platform").GetProperty("os").GetString()));
        Assert.Equal(WindowsImages.BaseVersions, entries.Skip(1).Select(e => e.GetProperty("platform").GetProperty("os.version").GetString()));
        Assert.Equal(["win32k"], entries[1].GetProperty("platform").GetProperty("os.features").EnumerateArray().Select(f => f.GetString()));
        Assert.All(entries, e => Assert.Equal(MediaTypes.OciManifest, e.GetProperty("mediaType").GetString()));
        Assert.Equal(["linux/amd64", "windows(10.0.17763.5458)/amd64", "windows(10.0.20348.2340)/amd64"], result.Images.Select(i => i.Platform));
        Assert.All(result.Images.Skip(1), i => Assert.Equal("win-x64", i.RuntimeIdentifier));
    }

    [Fact]
    public async Task NamesThatDifferOnlyByCaseInDifferentLayersAreRefusedBeforeAnythingIsWritten()
    {
        // Some.Package.dll goes to the packages layer, some.package.dll (the app's own) to the app layer: one file on C:.
        var windows = Published("win-x64", apphost: false);
        string clash = Path.Combine(windows.PublishDirectory, "some.package.dll");
        File.WriteAllText(clash, "the app's own");
        windows = windows with { Files = [.. windows.Files, new PublishedFile(clash, "some.package.dll", null, null)] };

        var error = await Assert.ThrowsAsync<MabException>(() => PublishAsync(null, windows));

        Assert.Equal(ErrorCode.WindowsLayerInvalidName, error.Code);
        Assert.Contains(@"C:\app\Some.Package.dll", error.Message, StringComparison.Ordinal);
        Assert.Contains(@"C:\app\some.package.dll", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachWindowsConfigHasItsVersionTheWindowsWorkingDirectoryUserAndCommand()
    {
        var (_, layout) = await PublishAsync(null, Published("linux-x64", apphost: false), Published("win-x64", apphost: false));
        var entries = layout.Index().GetProperty("manifests").EnumerateArray().ToList();

        var linux = layout.Config(entries[0]);
        Assert.Equal("/app/", linux.GetProperty("config").GetProperty("WorkingDir").GetString());
        Assert.Equal("1654", linux.GetProperty("config").GetProperty("User").GetString());
        Assert.Equal(["dotnet", "/app/App.dll"], Strings(linux.GetProperty("config").GetProperty("Entrypoint")));

        for (int i = 1; i < 3; i++)
        {
            var config = layout.Config(entries[i]);
            // The 20348 base config has no os.version: the index's goes in, so a merge of images pushed by digest lists the same.
            Assert.Equal(WindowsImages.BaseVersions[i - 1], config.GetProperty("os.version").GetString());
            Assert.Equal("windows", config.GetProperty("os").GetString());
            Assert.Equal(@"C:\app\", config.GetProperty("config").GetProperty("WorkingDir").GetString());
            Assert.Equal("ContainerUser", config.GetProperty("config").GetProperty("User").GetString());
            Assert.Equal(["dotnet.exe", @"C:\app\App.dll"], Strings(config.GetProperty("config").GetProperty("Entrypoint")));
        }
        Assert.Equal(["win32k"], Strings(layout.Config(entries[1]).GetProperty("os.features")));
    }

    [Fact]
    public async Task TheWindowsImagesShareTheirNewLayersOverTheirOwnBaseLayerAndEveryEntryIsAWindowsEntry()
    {
        var (_, layout) = await PublishAsync(null, Published("linux-x64", apphost: false), Published("win-x64", apphost: false));
        var entries = layout.Index().GetProperty("manifests").EnumerateArray().ToList();
        var linuxLayers = layout.Layers(entries[0]);
        var older = layout.Layers(entries[1]);
        var newer = layout.Layers(entries[2]);

        // The base's layer first, then ours (packages, then app), the same blobs in both Windows images.
        Assert.Equal(3, older.Count);
        Assert.NotEqual(older[0], newer[0]);
        Assert.Equal(older.Skip(1), newer.Skip(1));
        Assert.Empty(older.Skip(1).Intersect(linuxLayers));
        var baseMembers = WindowsImages.ReadLayer(layout.Blob(older[0]));
        Assert.Contains(baseMembers, m => m.Name == "Files/Windows/System32/cmd.exe");

        var app = WindowsImages.ReadLayer(layout.Blob(newer[^1]));
        Assert.Equal(["Files", "Files/app", "Files/app/App.deps.json", "Files/app/App.dll", "Files/app/wwwroot", "Files/app/wwwroot/site.css", "Hives"], app.Select(m => m.Name));
        var packages = WindowsImages.ReadLayer(layout.Blob(newer[1]));
        Assert.Equal(["Files", "Files/app", "Files/app/Some.Package.dll", "Hives"], packages.Select(m => m.Name));
        Assert.All(app.Concat(packages), m => Assert.Equal(m.Type == "dir" ? "16" : "32", m.Pax["MSWINDOWS.fileattr"]));
        Assert.All(app.Concat(packages), m => Assert.Equal(m.Type == "dir" ? WindowsSecurityDescriptor.Directory : WindowsSecurityDescriptor.File, m.Pax["MSWINDOWS.rawsd"]));

        var linuxApp = WindowsImages.ReadLayer(layout.Blob(linuxLayers[^1]));
        Assert.Equal("app", linuxApp[0].Name);
        Assert.All(linuxApp, m => Assert.Empty(m.Pax));
    }

    [Fact]
    public async Task ASelfContainedWindowsAppStartsItsExe()
    {
        var execution = new ExecutionArgs { AssemblyName = "App", TargetFileName = "App.dll", IsSelfContained = true };
        var (_, layout) = await PublishAsync(execution, Published("win-x64", apphost: true));
        var entries = layout.Index().GetProperty("manifests").EnumerateArray().ToList();

        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal([@"C:\app\App.exe"], Strings(layout.Config(e).GetProperty("config").GetProperty("Entrypoint"))));
        var app = WindowsImages.ReadLayer(layout.Blob(layout.Layers(entries[0])[^1]));
        Assert.Contains(app, m => m.Name == "Files/app/App.exe" && m.Pax["MSWINDOWS.fileattr"] == "32");
    }

    [Fact]
    public async Task AWindowsVersionPicksThatBuildOnly()
    {
        var (result, layout) = await PublishAsync(null, Published("windows(10.0.20348)/amd64", apphost: false));

        var entry = Assert.Single(layout.Index().GetProperty("manifests").EnumerateArray());
        Assert.Equal("10.0.20348.2340", entry.GetProperty("platform").GetProperty("os.version").GetString());
        Assert.Equal("win-x64", Assert.Single(result.Images).RuntimeIdentifier);
    }

    [Fact]
    public async Task AVersionTheBaseLacksIsACodedErrorListingTheVersionsItHas()
    {
        using var sources = new ImageSources(null!);
        var reader = await sources.OpenAsync(BaseReference, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<MabException>(() => BaseImageSelection.SelectEveryAsync(reader, [PlatformSpec.Parse("windows(10.0.26100)/amd64").Platform], CancellationToken.None));

        Assert.Equal(ErrorCode.BaseWindowsVersionNotFound, error.Code);
        Assert.Contains("10.0.26100", error.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.17763.5458, 10.0.20348.2340", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePreflightChecksEveryPlatformBeforeAnythingIsBuilt()
    {
        using var sources = new ImageSources(null!);
        var wanted = new List<(string, Platform)>
        {
            (BaseReference, PlatformSpec.Parse("linux-x64").Platform),
            (BaseReference, PlatformSpec.Parse("windows(10.0.17763)/amd64").Platform),
            (BaseReference, PlatformSpec.Parse("windows(10.0.14393)/amd64").Platform),
        };

        var error = await Assert.ThrowsAsync<MabException>(() => BaseImagePins.ResolveAsync(wanted, sources, new HashSet<string>(), CancellationToken.None));

        Assert.Equal(ErrorCode.BaseWindowsVersionNotFound, error.Code);
        Assert.Contains("10.0.14393", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryWindowsImageOfTheBaseIsSelectedAndWindowsOnArmIsMissing()
    {
        using var sources = new ImageSources(null!);
        var reader = await sources.OpenAsync(BaseReference, null, CancellationToken.None);

        var bases = await BaseImageSelection.SelectEveryAsync(reader, [PlatformSpec.Parse("linux-x64").Platform, PlatformSpec.Parse("win-x64").Platform], CancellationToken.None);
        var arm = await Assert.ThrowsAsync<MabException>(() => BaseImageSelection.SelectEveryAsync(reader, [PlatformSpec.Parse("win-arm64").Platform], CancellationToken.None));

        Assert.Single(bases[0]);
        Assert.Equal(WindowsImages.BaseVersions, bases[1].Select(b => b.Platform!.OSVersion));
        Assert.Equal(ErrorCode.BasePlatformNotFound, arm.Code);
    }

    [Fact]
    public async Task TheMixedIndexCopiesWithSkopeoEveryBlobCheckedAgainstItsDigest()
    {
        var (_, layout) = await PublishAsync(null, Published("linux-x64", apphost: false), Published("win-x64", apphost: false));
        string copy = _temp.Combine("copy");

        await ProcessRunner.RunCheckedAsync("skopeo", "copy", "--all", $"oci:{layout.Root}:1.0", $"oci:{copy}:1.0");

        var raw = JsonDocument.Parse(ProcessRunner.RunChecked("skopeo", "inspect", "--raw", $"oci:{copy}:1.0").Output).RootElement;
        Assert.Equal(WindowsImages.BaseVersions, raw.GetProperty("manifests").EnumerateArray()
            .Where(e => e.GetProperty("platform").GetProperty("os").GetString() == "windows")
            .Select(e => e.GetProperty("platform").GetProperty("os.version").GetString()));
    }

    [Fact]
    public async Task InspectShowsEachWindowsVersionAndAnArchiveHoldsTheSameIndex()
    {
        var (result, layout) = await PublishAsync(null, Published("linux-x64", apphost: false), Published("win-x64", apphost: false));
        using var sources = new ImageSources(null!);

        var inspected = await ImageInspector.InspectAsync(await sources.OpenAsync($"oci:{layout.Root}:1.0", null, CancellationToken.None), CancellationToken.None);
        string archive = _temp.Combine("app.tar");
        var request = new ContainerPublishRequest
        {
            Platforms = [Published("linux-x64", apphost: false), Published("win-x64", apphost: false)],
            Destination = new ImageDestinationSpec { Repository = "app", ArchivePath = archive, Tags = ["1.0"] },
            BlobCacheDirectory = _temp.Combine("obj", "blobs"),
            Execution = new ExecutionArgs { AssemblyName = "App", TargetFileName = "App.dll" },
        };
        var archived = await ContainerPublishing.RunAsync(request, new CapturingLog(), null, null, CancellationToken.None);

        Assert.Equal(["linux/amd64", "windows(10.0.17763.5458)/amd64", "windows(10.0.20348.2340)/amd64"], inspected.Manifests.Select(m => m.Platform));
        Assert.Equal(result.Index!.Digest, archived.Index!.Digest);
        var raw = JsonDocument.Parse(ProcessRunner.RunChecked("skopeo", "inspect", "--raw", $"oci-archive:{archive}:1.0").Output).RootElement;
        Assert.Equal(3, raw.GetProperty("manifests").GetArrayLength());
    }

    [Fact]
    public async Task ImagesPushedByDigestMergeIntoTheOneShotIndexAndAnAppendReplacesOneWindowsVersion()
    {
        var registry = new FakeRegistry();
        var linux = Published("linux-x64", apphost: false);
        var windows = Published("win-x64", apphost: false);
        var oneShot = await PublishToAsync(registry, "oneshot", pushByDigest: false, linux, windows);
        var byDigest = await PublishToAsync(registry, "app", pushByDigest: true, linux, windows);

        var merged = await MergeAsync(registry, string.Join(' ', byDigest.Images.Select(i => i.Manifest.Digest)), append: false);

        Assert.Equal(oneShot.Index!.Digest, merged.Index.Digest);

        // A new build of the app for Windows Server 2022 alone replaces that entry, and only it.
        var rebuilt = Published("windows(10.0.20348)/amd64", apphost: false);
        File.WriteAllText(Path.Combine(rebuilt.PublishDirectory, "App.dll"), "the app, version 2");
        var patch = await PublishToAsync(registry, "app", pushByDigest: true, rebuilt);
        var appended = await MergeAsync(registry, patch.Images.Single().Manifest.Digest.ToString(), append: true);

        var before = OciJson.DeserializeIndex(registry.Manifest("app", merged.Index.Digest).Bytes).Manifests;
        var after = OciJson.DeserializeIndex(registry.Manifest("app", appended.Index.Digest).Bytes).Manifests;
        Assert.Equal(before.Take(2).Select(m => m.Digest), after.Take(2).Select(m => m.Digest));
        Assert.Equal(patch.Images.Single().Manifest.Digest, after[2].Digest);
        Assert.Equal("10.0.20348.2340", after[2].Platform!.OSVersion);
        Assert.Equal(3, after.Count);
    }

    private async Task<ContainerPublishResult> PublishToAsync(FakeRegistry registry, string repository, bool pushByDigest, params PublishedPlatform[] platforms)
    {
        var log = new CapturingLog();
        var request = new ContainerPublishRequest
        {
            Platforms = platforms,
            Destination = new ImageDestinationSpec { Registry = FakeRegistry.Host, Repository = repository, Tags = pushByDigest ? [] : ["1.0"], PushByDigest = pushByDigest },
            BlobCacheDirectory = _temp.Combine("obj", "blobs"),
            Execution = new ExecutionArgs { AssemblyName = "App", TargetFileName = "App.dll" },
        };
        using var pull = Client(registry, log: log, purpose: CredentialPurpose.Pull);
        using var push = Client(registry, log: log);
        using var bases = new ImageSources(pull);
        var factory = new PlatformImageFactory(new BlobStore(request.BlobCacheDirectory), LayerStrategy.Split, new LayerWriter());
        return await new ContainerPublisher(bases, new RegistryDestination(push, Repo(repository)), factory, log).PublishAsync(request, CancellationToken.None);
    }

    private static async Task<ContainerIndexResult> MergeAsync(FakeRegistry registry, string sources, bool append)
    {
        using var client = Client(registry);
        return await ContainerIndexing.CreateAsync(new ContainerIndexRequest { Sources = sources, Registry = FakeRegistry.Host, Repository = "app", Tags = ["1.0"], Append = append },
            Repo("app"), client, client, new CapturingLog(), CancellationToken.None);
    }

    private static List<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()).ToList();

    /// <summary>An OCI layout read as plain files and JSON.</summary>
    private sealed record OutputLayout(string Root)
    {
        public string Blob(string digest) => Path.Combine(Root, "blobs", "sha256", digest["sha256:".Length..]);

        private JsonElement Document(string digest) => JsonDocument.Parse(File.ReadAllBytes(Blob(digest))).RootElement;

        public JsonElement Index()
        {
            var top = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "index.json"))).RootElement;
            var tagged = top.GetProperty("manifests").EnumerateArray().Single(m =>
                m.TryGetProperty("annotations", out var a) && a.TryGetProperty("org.opencontainers.image.ref.name", out var name) && name.GetString() == "1.0");
            return Document(tagged.GetProperty("digest").GetString()!);
        }

        public JsonElement Manifest(JsonElement entry) => Document(entry.GetProperty("digest").GetString()!);

        public JsonElement Config(JsonElement entry) => Document(Manifest(entry).GetProperty("config").GetProperty("digest").GetString()!);

        public List<string> Layers(JsonElement entry) =>
            Manifest(entry).GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList();
    }
}
