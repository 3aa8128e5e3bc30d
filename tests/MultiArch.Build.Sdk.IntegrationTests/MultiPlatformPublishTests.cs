using System.Text.Json;

namespace MultiArch.Build.Sdk.IntegrationTests;

[Collection(SdkCollection.Name)]
public sealed class MultiPlatformPublishTests(SdkFixture fixture)
{
    private const string HelloProgram = """
        Console.WriteLine($"Hello from e2e on {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}; A={Environment.GetEnvironmentVariable("A")}");
        """;

    [Fact]
    public void TwoPlatformPublishPushesAnIndexThatKeepsTheBaseVariantAndRuns()
    {
        string body = AppProject.ConsoleProperties() + """
            <ItemGroup>
              <ContainerLabel Include="url" Value="https://x;y" />
              <ContainerEnvironmentVariable Include="A" Value="b:c" />
            </ItemGroup>
            """;
        using var app = new AppProject(fixture, "TwoPlatforms", body, HelloProgram);
        string repository = $"{fixture.Registry}/e2e/two-platforms";
        string metadata = Path.Combine(app.Directory, "image.json");
        var publish = app.Publish("ContainerPlatforms=\"linux-x64;linux-arm64\"", $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/two-platforms",
            $"ContainerBaseImage={fixture.RuntimeBase}", "ContainerImageTags=1.0", "UseAppHost=false", $"ContainerMetadataFile={metadata}");
        Assert.True(publish.ExitCode == 0, publish.All);

        // The index, read back by skopeo: both platforms, the base's arm64 variant kept, nothing else.
        byte[] indexBytes = Skopeo.InspectRawBytes(repository + ":1.0");
        var index = JsonDocument.Parse(indexBytes).RootElement;
        Assert.Equal("application/vnd.oci.image.index.v1+json", index.GetProperty("mediaType").GetString());
        var children = index.GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], children.Select(Skopeo.PlatformOf));
        Assert.Equal(["1.0"], Skopeo.Tags(repository));

        var baseIndex = Skopeo.InspectRaw(fixture.RuntimeBase);
        foreach (var child in children)
        {
            string digest = child.GetProperty("digest").GetString()!;
            var manifest = Skopeo.InspectRaw($"{repository}@{digest}");
            var config = Skopeo.Config($"{repository}@{digest}");
            var platform = child.GetProperty("platform");
            Assert.Equal(platform.GetProperty("architecture").GetString(), config.GetProperty("architecture").GetString());
            Assert.Equal("linux", config.GetProperty("os").GetString());
            if (platform.TryGetProperty("variant", out var variant))
                Assert.Equal(variant.GetString(), config.GetProperty("variant").GetString());

            // The base's layers are the prefix of the child's layers.
            var baseChild = baseIndex.GetProperty("manifests").EnumerateArray().Single(m => Skopeo.PlatformOf(m) == Skopeo.PlatformOf(child));
            var baseLayers = Skopeo.LayerDigests(Skopeo.InspectRaw($"{fixture.Registry}/dotnet/runtime@{baseChild.GetProperty("digest").GetString()}"));
            var layers = Skopeo.LayerDigests(manifest);
            Assert.True(layers.Count > baseLayers.Count);
            Assert.Equal(baseLayers, layers.Take(baseLayers.Count));

            // Values survive intact: no cut at ';' or ':'.
            var inner = config.GetProperty("config");
            Assert.Equal("https://x;y", inner.GetProperty("Labels").GetProperty("url").GetString());
            Assert.Contains("A=b:c", inner.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("/app/", inner.GetProperty("WorkingDir").GetString());
            Assert.Equal(["dotnet", "/app/TwoPlatforms.dll"], inner.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("1654", inner.GetProperty("User").GetString());
        }

        // The metadata file agrees with what the registry holds.
        var meta = JsonDocument.Parse(File.ReadAllBytes(metadata)).RootElement;
        Assert.Equal(Skopeo.DigestOf(indexBytes), meta.GetProperty("indexDigest").GetString());
        Assert.Equal(children.Select(c => c.GetProperty("digest").GetString()), meta.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("digest").GetString()));
        Assert.Contains($"{repository}:1.0", meta.GetProperty("references").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("index " + Skopeo.DigestOf(indexBytes), publish.Output);

        // podman runs the linux/amd64 image and the app prints its output.
        var run = Podman.Run(repository + ":1.0", "linux/amd64");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("Hello from e2e on X64; A=b:c", run.Output);
    }

    [Fact]
    public void WithoutARegistryAValidOciLayoutIsWritten()
    {
        using var app = new AppProject(fixture, "LayoutOnly", AppProject.ConsoleProperties(), HelloProgram);
        var publish = app.Publish("ContainerPlatforms=\"linux-x64;linux/arm64\"", $"ContainerBaseImage={fixture.RuntimeBase}", "UseAppHost=false");
        Assert.True(publish.ExitCode == 0, publish.All);
        string layout = Path.Combine(app.Directory, "bin", "Release", "net10.0", "container-image");
        Assert.Contains("OCI layout " + layout, publish.Output);

        // This oci-image-tool (1.0.0-rc1) checks a whole layout with --type image; --type imageLayout is unimplemented in it.
        var validate = ProcessRunner.Run("oci-image-tool", ["validate", "--type", "image", layout]);
        Assert.True(validate.ExitCode == 0, validate.All);
        Assert.Contains("Validation succeeded", validate.All);
        var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json"))).RootElement;
        var top = Assert.Single(index.GetProperty("manifests").EnumerateArray());
        Assert.Equal("latest", top.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString());
        Assert.Equal("application/vnd.oci.image.index.v1+json", top.GetProperty("mediaType").GetString());
        string indexBlob = Path.Combine(layout, "blobs", "sha256", top.GetProperty("digest").GetString()!["sha256:".Length..]);
        var validateIndex = ProcessRunner.Run("oci-image-tool", ["validate", "--type", "imageIndex", indexBlob]);
        Assert.True(validateIndex.ExitCode == 0, validateIndex.All);

        // skopeo reads the layout's index and both platforms back.
        var raw = ProcessRunner.RunChecked("skopeo", "inspect", "--raw", $"oci:{layout}:latest");
        var children = JsonDocument.Parse(raw.Output).RootElement.GetProperty("manifests").EnumerateArray().Select(Skopeo.PlatformOf);
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], children);
        RunPrintedPodmanCommands(publish.Output, layout);

        // The same publish as an OCI archive (.tar of the layout), tagged 1.0, read back by skopeo.
        string archive = Path.Combine(Path.GetTempPath(), $"mab-e2e-{Guid.NewGuid():N}.tar");
        try
        {
            var tar = app.Publish("ContainerPlatforms=\"linux-x64;linux/arm64\"", $"ContainerBaseImage={fixture.RuntimeBase}", "UseAppHost=false",
                $"ContainerArchiveOutputPath={archive}", "ContainerImageTags=1.0");
            Assert.True(tar.ExitCode == 0, tar.All);
            var fromArchive = ProcessRunner.RunChecked("skopeo", "inspect", "--raw", $"oci-archive:{archive}:1.0");
            Assert.Equal(children, JsonDocument.Parse(fromArchive.Output).RootElement.GetProperty("manifests").EnumerateArray().Select(Skopeo.PlatformOf));
            Assert.Equal(Skopeo.DigestOf(System.Text.Encoding.UTF8.GetBytes(raw.Output)), Skopeo.DigestOf(System.Text.Encoding.UTF8.GetBytes(fromArchive.Output)));
            LoadByName(archive, "localhost/layoutonly:1.0");
        }
        finally
        {
            File.Delete(archive);
        }
    }

    /// <summary>
    /// The publish prints how to run the layout with podman (podman itself cannot read an oci: path with a
    /// capital, and bin/Release has one); the printed lines run as they are, in a shell. --net=none is this
    /// machine's need, not the command's.
    /// </summary>
    private static void RunPrintedPodmanCommands(string output, string layout)
    {
        var lines = output.Split('\n').Select(l => l.Trim()).ToList();
        string copy = lines.Single(l => l.StartsWith("skopeo copy ", StringComparison.Ordinal));
        string run = lines.Single(l => l.StartsWith("podman run ", StringComparison.Ordinal));
        Assert.Equal($"skopeo copy oci:{layout}:latest containers-storage:localhost/layoutonly:latest", copy);
        Assert.Equal("podman run --rm localhost/layoutonly:latest", run);
        try
        {
            ProcessRunner.RunChecked("bash", "-c", copy);
            var ran = ProcessRunner.Run("bash", ["-c", run.Replace("podman run ", "podman run --net=none ", StringComparison.Ordinal)]);
            Assert.True(ran.ExitCode == 0, ran.All);
            Assert.Contains("Hello from e2e on X64", ran.Output);
        }
        finally
        {
            ProcessRunner.Run("podman", ["rmi", "--force", "localhost/layoutonly:latest"]);
        }
    }

    /// <summary>podman load and ctr import both name the archive's image as the publish named it.</summary>
    private static void LoadByName(string archive, string name)
    {
        try
        {
            var load = ProcessRunner.RunChecked("podman", "load", "-i", archive);
            Assert.Contains("Loaded image: " + name, load.All);
            Assert.Equal(0, ProcessRunner.Run("podman", ["image", "exists", name]).ExitCode);
        }
        finally
        {
            ProcessRunner.Run("podman", ["rmi", "--force", name]);
        }
        using var containerd = ContainerdDaemon.Start();
        containerd.Import(archive);
        Assert.Equal([name], containerd.ImageNames());
    }

    [Fact]
    public void AspNetAppGetsTheAspNetBaseAndItsPortAndRebuildsToTheSameDigest()
    {
        const string web = """
            var app = WebApplication.CreateSlimBuilder(args).Build();
            app.MapGet("/", () => "hi");
            app.Run();
            """;
        using var app = new AppProject(fixture, "Web", "<PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup><ItemGroup><ContainerPort Include=\"8080\" Type=\"tcp\" /></ItemGroup>", web, "Microsoft.NET.Sdk.Web");
        string repository = $"{fixture.Registry}/e2e/web";
        string[] properties = ["ContainerPlatforms=\"linux-x64,linux-arm64\"", $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/web",
            $"ContainerBaseRegistry={fixture.Registry}", "UseAppHost=false"];
        // The metadata file sits in the project folder, where the Web SDK globs every *.json into the app's
        // content; MultiArch.Build keeps its own output (and its caches) out, so a rebuild is a no-op.
        string metadata = Path.Combine(app.Directory, "image.json");
        var publish = app.Publish([.. properties, $"ContainerMetadataFile={metadata}"]);
        Assert.True(publish.ExitCode == 0, publish.All);
        var first = JsonDocument.Parse(File.ReadAllBytes(metadata)).RootElement.Clone();
        var again = app.Publish([.. properties, $"ContainerMetadataFile={metadata}"]);
        Assert.True(again.ExitCode == 0, again.All);
        var second = JsonDocument.Parse(File.ReadAllBytes(metadata)).RootElement;
        Assert.Equal(first.GetProperty("indexDigest").GetString(), second.GetProperty("indexDigest").GetString());
        Assert.True(first.GetProperty("bytesUploaded").GetInt64() > 0);
        Assert.Equal(0, second.GetProperty("bytesUploaded").GetInt64());
        Assert.Equal(Skopeo.DigestOf(Skopeo.InspectRawBytes(repository + ":latest")), second.GetProperty("indexDigest").GetString());
        var strays = System.IO.Directory.GetFiles(app.Directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(app.Directory, f))
            .Where(f => !f.StartsWith("obj/", StringComparison.Ordinal) && !f.StartsWith("bin/", StringComparison.Ordinal) && f.Contains("multiarch", StringComparison.Ordinal));
        Assert.Empty(strays);

        string amd64 = Skopeo.ImageFor(repository + ":latest", "linux/amd64");
        var baseLayers = Skopeo.LayerDigests(Skopeo.InspectRaw(Skopeo.ImageFor(fixture.AspNetBase, "linux/amd64")));
        var layers = Skopeo.LayerDigests(Skopeo.InspectRaw(amd64));
        Assert.Equal(baseLayers, layers.Take(baseLayers.Count));
        var config = Skopeo.Config(amd64).GetProperty("config");
        Assert.True(config.GetProperty("ExposedPorts").TryGetProperty("8080/tcp", out _));
    }
}
