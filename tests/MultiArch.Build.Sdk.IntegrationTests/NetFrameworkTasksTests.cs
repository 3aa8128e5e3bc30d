using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;

namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// The package's .NET Framework tasks (tasks/net472/), the ones Visual Studio's MSBuild.exe loads, run from the packed
/// package under Mono by a net472 harness with its own build engine (this machine has no MSBuild.exe): settings and
/// SemVer tags, a publish to the real registry that pushes the very index the .NET tasks push for the same inputs,
/// inspect, a coded error, no dotnet (MAB3014), and a cancel that stops the runner.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class NetFrameworkTasksTests(SdkFixture fixture) : IDisposable
{
    private readonly TempFolder _folder = new("mab-net472");
    private string? _package;

    private static string Harness => Path.Combine(typeof(NetFrameworkTasksTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "NetFrameworkHarness").Value!, "MultiArch.Build.NetFrameworkHarness.exe");

    /// <summary>The packed package, unzipped as NuGet lays it out.</summary>
    private string Package
    {
        get
        {
            if (_package is not null) return _package;
            _package = _folder.Combine("package");
            ZipFile.ExtractToDirectory(Path.Combine(fixture.PackageFeed, $"MultiArch.Build.{fixture.PackageVersion}.nupkg"), _package);
            return _package;
        }
    }

    private string NetFrameworkTasks => Path.Combine(Package, "tasks", "net472", "MultiArch.Build.Tasks.dll");

    [Fact]
    public void SettingsAndSemVerTagsRunThroughTheRunner()
    {
        var settings = Run("CheckContainerSettings", "Repository=My App", "ImageTags=1.0 latest");
        Assert.True(settings.ExitCode == 0, settings.All);
        Assert.Contains("warning MAB3101: ContainerRepository 'My App'", settings.Output);
        Assert.Contains("output NormalizedRepository=my-app", settings.Output);
        Assert.Contains($"CheckContainerSettings runs in {Path.Combine(Package, "tasks", "net8.0", "MultiArch.Build.Runner.dll")}", settings.Output);

        var badTag = Run("CheckContainerSettings", "Repository=app", "ImageTags=-bad");
        Assert.Equal(1, badTag.ExitCode);
        Assert.Contains("error MAB3004:", badTag.Output);
        Assert.Contains("harness: Execute returned False", badTag.Output);

        var tags = Run("ComputeContainerTags", "ImageTags=edge", "Version=1.2.3+build.9");
        Assert.True(tags.ExitCode == 0, tags.All);
        Assert.Equal(["edge", "1.2.3", "1.2", "1", "latest"], Outputs(tags.Output, "Tags"));
    }

    [Fact]
    public void APublishThroughTheNetFrameworkTasksPushesTheIndexTheNetTasksPush()
    {
        string publishDir = PublishFolder();
        string repository = $"{fixture.Registry}/e2e/net472";
        var parameters = new Dictionary<string, string>
        {
            ["Registry"] = fixture.Registry,
            ["Repository"] = "e2e/net472",
            ["AssemblyName"] = "app",
            ["TargetFileName"] = "app.dll",
            ["WorkingDirectory"] = "/app/",
            ["GenerateLabels"] = "true",
            ["GenerateAnnotations"] = "true",
        };
        var harness = Run("PublishContainerImages", [.. parameters.Select(p => $"{p.Key}={p.Value}"), "ImageTags=net472", $"BlobCacheDirectory={_folder.Combine("blobs-net472")}",
            .. PublishItems(publishDir)]);
        Assert.True(harness.ExitCode == 0, harness.All);

        // The same inputs through the .NET tasks of the same package, in the SDK's MSBuild.
        string project = _folder.Combine("publish.proj");
        File.WriteAllText(project, $"""
            <Project>
              <UsingTask TaskName="MultiArch.Build.Tasks.PublishContainerImages" AssemblyFile="{Path.Combine(Package, "tasks", "net8.0", "MultiArch.Build.Tasks.dll")}" />
              <ItemGroup>
                <_Platform Include="linux/amd64" RuntimeIdentifier="linux-x64" BaseImage="{fixture.RuntimeBase}" />
                {string.Concat(Directory.GetFiles(publishDir).Order(StringComparer.Ordinal).Select(f =>
                    $"""<_Published Include="{f}" ContainerPlatform="linux/amd64" RelativePath="{Path.GetFileName(f)}" PublishDir="{publishDir}" />"""))}
              </ItemGroup>
              <Target Name="Publish">
                <PublishContainerImages Platforms="@(_Platform)" PublishedFiles="@(_Published)" ImageTags="net8" BlobCacheDirectory="{_folder.Combine("blobs-net8")}"
                                        {string.Join(' ', parameters.Select(p => $"{p.Key}=\"{p.Value}\""))} />
              </Target>
            </Project>
            """);
        var net = ProcessRunner.Run("dotnet", ["msbuild", project, "-nodeReuse:false", "-v:n"], _folder.Path);
        Assert.True(net.ExitCode == 0, net.All);

        string digest = Skopeo.DigestOf(Skopeo.InspectRawBytes(repository + ":net472"));
        Assert.Equal(digest, Skopeo.DigestOf(Skopeo.InspectRawBytes(repository + ":net8")));
        Assert.Contains($"output IndexDigest={digest}", harness.Output);
        Assert.Contains("index " + digest, harness.Output);
        var image = Assert.Single(Outputs(harness.Output, "Images"));
        Assert.StartsWith("linux/amd64|ManifestDigest=sha256:", image);
        var index = Skopeo.InspectRaw(repository + ":net472");
        Assert.Equal(["linux/amd64"], index.GetProperty("manifests").EnumerateArray().Select(Skopeo.PlatformOf));

        // Inspect through the .NET Framework tasks reads the same digest back.
        var inspect = Run("InspectContainerImage", $"Image={repository}:net472");
        Assert.True(inspect.ExitCode == 0, inspect.All);
        Assert.Contains($"output Digest={digest}", inspect.Output);
        Assert.Contains("output MediaType=application/vnd.oci.image.index.v1+json", inspect.Output);

        var missing = Run("InspectContainerImage", $"Image={repository}:no-such-tag");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("error MAB4020:", missing.Output);
    }

    [Fact]
    public async Task ARegistryPasswordReachesTheRunnerThroughTheEnvironment()
    {
        const string user = "net472-user", password = "pw-net472-Zq81-not-for-logs";
        await using var registry = await RegistryFixture.StartAsync(user, password);
        string[] publish = ["PublishContainerImages", $"Registry={registry.Host}", "Repository=e2e/net472-auth", "ImageTags=1.0", "AssemblyName=app", "TargetFileName=app.dll",
            $"BlobCacheDirectory={_folder.Combine("blobs-auth")}", .. PublishItems(PublishFolder())];

        var wrong = Run(publish, Credentials(user, "not-the-password"));
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains(wrong.Output.Split('\n'), l => l.StartsWith("error MAB2", StringComparison.Ordinal) && l.Contains(registry.Host, StringComparison.Ordinal));
        Assert.DoesNotContain("not-the-password", wrong.All);

        var right = Run(publish, Credentials(user, password));
        Assert.True(right.ExitCode == 0, right.All);
        Assert.DoesNotContain(password, right.All);
        Assert.Equal(["1.0"], Skopeo.Tags($"{registry.Host}/e2e/net472-auth", registry.SkopeoCredentials()));
    }

    [Fact]
    public void WithNoDotnetTheTasksFailWithMab3014()
    {
        var result = Run(["CheckContainerSettings", "Repository=app"], new Dictionary<string, string?> { ["PATH"] = "/nowhere", ["DOTNET_HOST_PATH"] = null });
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error MAB3014:", result.Output);
        Assert.Contains("DOTNET_HOST_PATH", result.Output);
    }

    [Fact]
    public async Task ACancelStopsTheRunner()
    {
        // A registry that accepts connections and never answers: only the cancel ends the inspect.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            try { while (true) held.Add(await silent.AcceptTcpClientAsync()); }
            catch (ObjectDisposedException) { }
            catch (SocketException) { }
        });
        string workingDirectory = _folder.Combine("cancel");
        Directory.CreateDirectory(workingDirectory);

        // DOTNET_HOST_PATH as a folder: the dotnet in it starts the runner. The password is for the registry's client only.
        string dotnetFolder = Path.GetDirectoryName(ResolveLinks(ProcessRunner.Find("dotnet")))!;
        const string secret = "pw-net472-never-on-a-command-line";
        var running = RunAsync(["InspectContainerImage", $"Image=127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/app:1.0", "--cancel-after=4"],
            new Dictionary<string, string?> { ["DOTNET_HOST_PATH"] = dotnetFolder, ["MULTIARCH_REGISTRY_USERNAME"] = "u", ["MULTIARCH_REGISTRY_PASSWORD"] = secret },
            workingDirectory);

        // While it waits: the runner is `dotnet <runner.dll>` and nothing more; the credentials reach it in its environment.
        string? runner = null;
        for (int i = 0; i < 30 && runner is null; i++)
        {
            await Task.Delay(100);
            runner = Processes().FirstOrDefault(p => WorkingDirectoryOf(p) == workingDirectory && Read(p, "cmdline").Contains("MultiArch.Build.Runner.dll"));
        }
        Assert.NotNull(runner);
        Assert.Equal([Path.Combine(dotnetFolder, "dotnet"), Path.Combine(Package, "tasks", "net8.0", "MultiArch.Build.Runner.dll")],
            Read(runner, "cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("MULTIARCH_REGISTRY_PASSWORD=" + secret, Read(runner, "environ").Split('\0'));
        var result = await running;

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("error ", result.Output);
        Assert.Contains("harness: cancel", result.Output);
        Assert.Contains("Canceled; nothing more was sent.", result.Output);
        // The runner, started in the harness's folder, is gone.
        Assert.DoesNotContain(Processes(), p => WorkingDirectoryOf(p) == workingDirectory);
        Assert.DoesNotContain(secret, result.All);
        foreach (var client in held) client.Dispose();
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>A stand-in for an app's publish folder: two files, the same bytes every time.</summary>
    private string PublishFolder()
    {
        string publishDir = _folder.Combine("publish") + "/";
        if (Directory.Exists(publishDir)) return publishDir;
        Directory.CreateDirectory(publishDir);
        var app = new byte[64 * 1024];
        new Random(472).NextBytes(app);
        File.WriteAllBytes(Path.Combine(publishDir, "app.dll"), app);
        File.WriteAllText(Path.Combine(publishDir, "app.runtimeconfig.json"), """{"runtimeOptions":{"tfm":"net10.0"}}""");
        return publishDir;
    }

    /// <summary>The harness's item arguments for a linux/amd64 platform over the seeded runtime base and the folder's files.</summary>
    private string[] PublishItems(string publishDir) =>
        [$"@Platforms=linux/amd64|RuntimeIdentifier=linux-x64|BaseImage={fixture.RuntimeBase}",
         .. Directory.GetFiles(publishDir).Order(StringComparer.Ordinal)
            .Select(f => $"@PublishedFiles={f}|ContainerPlatform=linux/amd64|RelativePath={Path.GetFileName(f)}|PublishDir={publishDir}")];

    private static Dictionary<string, string?> Credentials(string user, string password) => new()
    {
        ["MULTIARCH_REGISTRY_USERNAME"] = user,
        ["MULTIARCH_REGISTRY_PASSWORD"] = password,
    };

    private ProcessResult Run(string task, params string[] arguments) => Run([task, .. arguments], new Dictionary<string, string?>());

    private ProcessResult Run(string[] arguments, Dictionary<string, string?> environment, string? workingDirectory = null) =>
        RunAsync(arguments, environment, workingDirectory).GetAwaiter().GetResult();

    private Task<ProcessResult> RunAsync(string[] arguments, Dictionary<string, string?> environment, string? workingDirectory = null) =>
        ProcessRunner.RunAsync("mono", [Harness, NetFrameworkTasks, .. arguments], workingDirectory ?? _folder.Path, environment, TimeSpan.FromMinutes(3));

    private static IEnumerable<string> Processes() => Directory.GetDirectories("/proc").Where(p => int.TryParse(Path.GetFileName(p), out _));

    /// <summary>A /proc file of a process (its NUL-separated command line or environment), or "" once it is gone.</summary>
    private static string Read(string proc, string file)
    {
        try { return File.ReadAllText(Path.Combine(proc, file)); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    /// <summary>The output items the harness printed for <paramref name="name"/>, as <c>spec|meta=value...</c>.</summary>
    private static List<string> Outputs(string output, string name) =>
        output.Split('\n').Where(l => l.StartsWith($"output {name}: ", StringComparison.Ordinal)).Select(l => l[$"output {name}: ".Length..].Trim()).ToList();

    private static string ResolveLinks(string path) => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;

    private static string? WorkingDirectoryOf(string proc)
    {
        try { return new DirectoryInfo(Path.Combine(proc, "cwd")).ResolveLinkTarget(returnFinalTarget: false)?.FullName; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
