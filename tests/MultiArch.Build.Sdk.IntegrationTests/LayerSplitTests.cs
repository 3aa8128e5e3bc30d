using System.Text.Json;

namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// The split layer layout end to end: a self-contained app gets runtime, packages and app layers; a no-op
/// rebuild uploads nothing; a code change re-sends only the app layer, also from a fresh checkout, whose unchanged
/// layers come from the registry; a layer two platforms share is sent once.
/// </summary>
[Collection(SdkCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LayerSplitTests(SdkFixture fixture)
{
    private const string PackageReference = """<ItemGroup><PackageReference Include="Newtonsoft.Json" Version="13.0.3" /></ItemGroup>""";

    private static string Program(string version) => $$"""
        Console.WriteLine("{{version}} " + Newtonsoft.Json.JsonConvert.SerializeObject(new { Arch = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString() }));
        """;

    [Fact]
    public void NoOpRebuildUploadsNothingAndACodeChangeResendsOnlyTheAppLayer()
    {
        using var app = new AppProject(fixture, "Split", AppProject.ConsoleProperties("<SelfContained>true</SelfContained>") + PackageReference, Program("v1"));
        string repository = $"{fixture.Registry}/e2e/split";
        string[] properties = ["ContainerPlatforms=linux-x64", $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/split",
            $"ContainerBaseRegistry={fixture.Registry}"];

        var first = PublishWithMetadata(app, properties, "first.json");
        // The inferred base for a self-contained app is runtime-deps (here from the local mirror), started by its apphost.
        Assert.Contains(fixture.RuntimeDepsBase, first.Output);
        var firstLayers = NewLayers(repository, out var firstConfig);
        Assert.Equal(["/app/Split"], firstConfig.GetProperty("config").GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["multiarch.build.runtime", "multiarch.build.packages", "multiarch.build.app"], Comments(firstConfig));
        var files = LayerFiles(repository, firstLayers);
        Assert.Contains("app/libcoreclr.so", files[0]);
        Assert.Contains("app/System.Private.CoreLib.dll", files[0]);
        Assert.Equal(["app/Newtonsoft.Json.dll"], files[1].Where(f => !f.EndsWith('/')));
        Assert.Contains("app/Split", files[2]);
        Assert.Contains("app/Split.dll", files[2]);
        Assert.Contains("app/Split.deps.json", files[2]);
        Assert.Contains("app/Split.runtimeconfig.json", files[2]);
        Assert.DoesNotContain(files[2], f => f.EndsWith(".so", StringComparison.Ordinal) || f.Contains("Newtonsoft", StringComparison.Ordinal));
        // A self-contained image holds exactly the publish folder: paths, bytes and modes.
        using (var unpacked = ImageFiles.Unpack(Skopeo.ImageFor(repository + ":latest", "linux/amd64")))
            unpacked.AssertSameAs(ImageFiles.PublishFolderOf(app.Directory));

        // A no-op rebuild: the same index, no blob bytes sent, every layer taken from the cache.
        var noOp = PublishWithMetadata(app, properties, "noop.json");
        Assert.Equal(first.Meta.GetProperty("indexDigest").GetString(), noOp.Meta.GetProperty("indexDigest").GetString());
        Assert.True(first.Meta.GetProperty("bytesUploaded").GetInt64() > 0);
        Assert.Equal(0, noOp.Meta.GetProperty("bytesUploaded").GetInt64());
        Assert.Equal(3, CountOccurrences(noOp.Output, ": unchanged, reused"));

        // A code change: runtime and packages layers keep their digests; only the app layer and the config are new and sent.
        File.WriteAllText(Path.Combine(app.Directory, "Program.cs"), Program("v2"));
        var changed = PublishWithMetadata(app, properties, "changed.json");
        var changedLayers = NewLayers(repository, out _);
        Assert.Equal(firstLayers.Take(2).Select(l => l.Digest), changedLayers.Take(2).Select(l => l.Digest));
        Assert.NotEqual(firstLayers[2].Digest, changedLayers[2].Digest);
        var manifest = Skopeo.InspectRaw(Skopeo.ImageFor(repository + ":latest", "linux/amd64"));
        long expected = changedLayers[2].Size + manifest.GetProperty("config").GetProperty("size").GetInt64();
        Assert.Equal(expected, changed.Meta.GetProperty("bytesUploaded").GetInt64());

        var run = Podman.Run(repository + ":latest");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("v2 {\"Arch\":\"X64\"}", run.Output);

        // A fresh checkout, as on a CI runner: no obj/ or bin/, an empty user layer cache, and a one-line change. The
        // runtime and packages layers are found in the registry by their diff_ids: not compressed, not uploaded, same digests.
        app.Clean();
        File.WriteAllText(Path.Combine(app.Directory, "Program.cs"), Program("v3"));
        var fresh = PublishWithMetadata(app, properties, "fresh.json", EmptyUserCache(app));
        Assert.Equal(2, CountOccurrences(fresh.Output, "reused without compressing"));
        var freshLayers = NewLayers(repository, out _);
        Assert.Equal(firstLayers.Take(2).Select(l => l.Digest), freshLayers.Take(2).Select(l => l.Digest));
        var freshManifest = Skopeo.InspectRaw(Skopeo.ImageFor(repository + ":latest", "linux/amd64"));
        Assert.Equal(freshLayers[2].Size + freshManifest.GetProperty("config").GetProperty("size").GetInt64(), fresh.Meta.GetProperty("bytesUploaded").GetInt64());
        Assert.True(fresh.Meta.GetProperty("bytesUploaded").GetInt64() * 100 < firstLayers[0].Size);

        // The same app from another fresh checkout gives the same index digest, and uploads nothing: every layer keeps
        // the digest the registry has, whatever this machine's compressor would write.
        app.Clean();
        var again = PublishWithMetadata(app, properties, "again.json", EmptyUserCache(app));
        Assert.Equal(3, CountOccurrences(again.Output, "reused without compressing"));
        Assert.Equal(fresh.Meta.GetProperty("indexDigest").GetString(), again.Meta.GetProperty("indexDigest").GetString());
        Assert.Equal(0, again.Meta.GetProperty("bytesUploaded").GetInt64());
    }

    /// <summary>A user layer cache of the app's own, empty, so a layer the publish does not compress can only come from the registry.</summary>
    private static Dictionary<string, string?> EmptyUserCache(AppProject app)
    {
        string folder = Path.Combine(app.Root, "user-cache-" + Guid.NewGuid().ToString("N"));
        return new Dictionary<string, string?> { ["MULTIARCH_CACHE_DIR"] = folder };
    }

    [Fact]
    public void ALayerTwoPlatformsShareIsUploadedOnce()
    {
        using var app = new AppProject(fixture, "Shared", AppProject.ConsoleProperties() + PackageReference, Program("shared"));
        string repository = $"{fixture.Registry}/e2e/shared-layer";
        var publish = PublishWithMetadata(app, ["ContainerPlatforms=linux-x64 linux-arm64", $"ContainerRegistry={fixture.Registry}",
            "ContainerRepository=e2e/shared-layer", $"ContainerBaseImage={fixture.RuntimeBase}", "UseAppHost=false"], "shared.json");

        var index = Skopeo.InspectRaw(repository + ":latest");
        var baseIndex = Skopeo.InspectRaw(fixture.RuntimeBase);
        var newBlobs = new List<(string Digest, long Size)>();
        var packagesLayers = new List<string>();
        foreach (var child in index.GetProperty("manifests").EnumerateArray())
        {
            string digest = child.GetProperty("digest").GetString()!;
            var manifest = Skopeo.InspectRaw($"{repository}@{digest}");
            var config = Skopeo.Config($"{repository}@{digest}");
            var baseChild = baseIndex.GetProperty("manifests").EnumerateArray().Single(m => Skopeo.PlatformOf(m) == Skopeo.PlatformOf(child));
            int baseCount = Skopeo.InspectRaw($"{fixture.Registry}/dotnet/runtime@{baseChild.GetProperty("digest").GetString()}").GetProperty("layers").GetArrayLength();
            var layers = manifest.GetProperty("layers").EnumerateArray().Skip(baseCount).Select(l => (l.GetProperty("digest").GetString()!, l.GetProperty("size").GetInt64())).ToList();
            Assert.Equal(["multiarch.build.packages", "multiarch.build.app"], Comments(config));
            packagesLayers.Add(layers[0].Item1);
            newBlobs.AddRange(layers);
            newBlobs.Add((manifest.GetProperty("config").GetProperty("digest").GetString()!, manifest.GetProperty("config").GetProperty("size").GetInt64()));
        }

        // Newtonsoft.Json's managed assembly is the same on both platforms, so both images list one blob...
        Assert.Equal(2, packagesLayers.Count);
        Assert.Single(packagesLayers.Distinct());
        // ...and the push sent every distinct new blob exactly once.
        long distinctBytes = newBlobs.DistinctBy(b => b.Digest).Sum(b => b.Size);
        Assert.True(distinctBytes < newBlobs.Sum(b => b.Size));
        Assert.Equal(distinctBytes, publish.Meta.GetProperty("bytesUploaded").GetInt64());
    }

    private static (JsonElement Meta, string Output) PublishWithMetadata(AppProject app, string[] properties, string metadataName, IReadOnlyDictionary<string, string?>? environment = null)
    {
        string metadata = Path.Combine(app.Directory, metadataName);
        var result = app.Publish(environment ?? new Dictionary<string, string?>(), [.. properties, $"ContainerMetadataFile={metadata}"]);
        Assert.True(result.ExitCode == 0, result.All);
        return (JsonDocument.Parse(File.ReadAllBytes(metadata)).RootElement.Clone(), result.Output);
    }

    /// <summary>The layers this product added (those with a multiarch.build history comment), bottom first.</summary>
    private static List<(string Digest, long Size)> NewLayers(string repository, out JsonElement config)
    {
        string image = Skopeo.ImageFor(repository + ":latest", "linux/amd64");
        var manifest = Skopeo.InspectRaw(image);
        config = Skopeo.Config(image);
        int count = Comments(config).Count;
        return manifest.GetProperty("layers").EnumerateArray().TakeLast(count)
            .Select(l => (l.GetProperty("digest").GetString()!, l.GetProperty("size").GetInt64())).ToList();
    }

    private static List<string> Comments(JsonElement config) =>
        config.GetProperty("history").EnumerateArray()
            .Select(h => h.TryGetProperty("comment", out var c) ? c.GetString() ?? "" : "")
            .Where(c => c.StartsWith("multiarch.build.", StringComparison.Ordinal)).ToList();

    /// <summary>The member names of each layer, read by skopeo (copied to an OCI layout) and tar.</summary>
    private static List<List<string>> LayerFiles(string repository, IEnumerable<(string Digest, long Size)> layers)
    {
        string layout = Path.Combine(Path.GetTempPath(), "mab-e2e-split-" + Guid.NewGuid().ToString("N"));
        try
        {
            ProcessRunner.RunChecked("skopeo", "copy", "--src-tls-verify=false", "docker://" + Skopeo.ImageFor(repository + ":latest", "linux/amd64"), "oci:" + layout + ":x");
            return layers.Select(l => ProcessRunner.RunChecked("tar", "-tzf", Path.Combine(layout, "blobs", "sha256", l.Digest["sha256:".Length..])).Output
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList()).ToList();
        }
        finally
        {
            try { Directory.Delete(layout, recursive: true); } catch (IOException) { }
        }
    }

    private static int CountOccurrences(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
