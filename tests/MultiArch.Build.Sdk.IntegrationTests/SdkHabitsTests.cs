using System.Text.Json;

namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// People move from the SDK's container support and keep their commands, properties and publish profiles. With the
/// package installed each of them makes the multi-platform image (and never leaves a tag on a single-platform or
/// broken image), or, for a profile that deploys to a folder, publishes to the folder as it always did.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class SdkHabitsTests(SdkFixture fixture)
{
    private const string Web = """
        var app = WebApplication.CreateSlimBuilder(args).Build();
        app.MapGet("/", () => "hi");
        app.Run();
        """;

    private const string FolderProfile = """
        <Project>
          <PropertyGroup>
            <WebPublishMethod>FileSystem</WebPublishMethod>
            <PublishProvider>FileSystem</PublishProvider>
            <PublishUrl>$(MSBuildProjectDirectory)/folder-out/</PublishUrl>
          </PropertyGroup>
        </Project>
        """;

    private AppProject WebApp(string name, string repository)
    {
        var app = new AppProject(fixture, name,
            $"<PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><ContainerPlatforms>linux-x64;linux-arm64</ContainerPlatforms><ContainerRepository>{repository}</ContainerRepository></PropertyGroup>",
            Web, "Microsoft.NET.Sdk.Web");
        Directory.CreateDirectory(Path.Combine(app.Directory, "Properties", "PublishProfiles"));
        File.WriteAllText(Path.Combine(app.Directory, "Properties", "PublishProfiles", "Folder.pubxml"), FolderProfile);
        return app;
    }

    private string[] Common(string tag) => [$"ContainerRegistry={fixture.Registry}", $"ContainerBaseRegistry={fixture.Registry}", $"ContainerImageTags={tag}", "UseAppHost=false", "-warnaserror"];

    private void AssertTagIsTheTwoPlatformIndex(string repository, string tag)
    {
        var index = Skopeo.InspectRaw($"{fixture.Registry}/{repository}:{tag}");
        Assert.Equal("application/vnd.oci.image.index.v1+json", index.GetProperty("mediaType").GetString());
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], index.GetProperty("manifests").EnumerateArray().Select(Skopeo.PlatformOf));
        foreach (var child in index.GetProperty("manifests").EnumerateArray())
        {
            var config = Skopeo.Config($"{fixture.Registry}/{repository}@{child.GetProperty("digest").GetString()}").GetProperty("config");
            Assert.Equal("/app/", config.GetProperty("WorkingDir").GetString());
        }
    }

    private void AssertSummaryShows(string output, string repository, string tag)
    {
        string digest = Skopeo.DigestOf(Skopeo.InspectRawBytes($"{fixture.Registry}/{repository}:{tag}"));
        Assert.Contains($"index {digest}", output);
        Assert.Contains($"-> {fixture.Registry}/{repository}:{tag}", output);
    }

    [Fact]
    public void PublishContainerTargetAndContainerProfileMakeTheMultiPlatformImage()
    {
        using var app = WebApp("Habits", "e2e/habits");

        // At dotnet publish's own verbosity (minimal), with the console logger and with the terminal logger (forced,
        // since the output is redirected), the summary shows the index digest and the tag pushed.
        var target = app.Publish([.. Common("target"), "-t:PublishContainer", "-v:m"]);
        Assert.True(target.ExitCode == 0, target.All);
        AssertTagIsTheTwoPlatformIndex("e2e/habits", "target");
        AssertSummaryShows(target.Output, "e2e/habits", "target");

        var profile = app.Publish([.. Common("profile"), "PublishProfile=DefaultContainer", "-v:m", "-tl:on"]);
        Assert.True(profile.ExitCode == 0, profile.All);
        AssertTagIsTheTwoPlatformIndex("e2e/habits", "profile");
        AssertSummaryShows(System.Text.RegularExpressions.Regex.Replace(profile.Output, @"\x1b(\[[0-9;?]*[A-Za-z]|\][^\x1b]*\x1b\\)", ""), "e2e/habits", "profile");

        // Only the tags asked for: no single-platform image of the SDK's, no per-RID tags.
        Assert.Equal(["profile", "target"], Skopeo.Tags($"{fixture.Registry}/e2e/habits")!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AFolderProfilePublishesToTheFolderAndASwitchTurnsTheImageOff()
    {
        using var app = WebApp("Folder", "e2e/folder-profile");

        var folder = app.Publish([.. Common("folder"), "PublishProfile=Folder"]);
        Assert.True(folder.ExitCode == 0, folder.All);
        Assert.True(File.Exists(Path.Combine(app.Directory, "bin", "Release", "net10.0", "publish", "Folder.dll")), folder.All);
        Assert.Contains("made no container image", folder.Output);

        // Visual Studio's folder publish (DeployOnBuild) copies to PublishUrl.
        var deploy = app.RunDotnet("build", app.ProjectPath, "-c", "Release", "-p:DeployOnBuild=true", "-p:PublishProfile=Folder", "-p:UseAppHost=false", "-warnaserror");
        Assert.True(deploy.ExitCode == 0, deploy.All);
        Assert.True(File.Exists(Path.Combine(app.Directory, "folder-out", "Folder.dll")), deploy.All);

        var off = app.Publish([.. Common("off"), "EnableMultiArchContainer=false"]);
        Assert.True(off.ExitCode == 0, off.All);
        Assert.Contains("EnableMultiArchContainer is false", off.Output);

        Assert.Null(Skopeo.Tags($"{fixture.Registry}/e2e/folder-profile"));
    }

    [Fact]
    public void ContainerRuntimeIdentifiersAndAppCommandInstructionAreHonoured()
    {
        string body = AppProject.ConsoleProperties("<ContainerAppCommandInstruction>DefaultArgs</ContainerAppCommandInstruction>") +
            """<ItemGroup><ContainerDefaultArgs Include="--greet" /></ItemGroup>""";
        using var app = new AppProject(fixture, "Rids", body, """Console.WriteLine("args: " + string.Join(' ', args));""");
        var publish = app.Publish("ContainerRuntimeIdentifiers=\"linux-x64;linux-arm64\"", $"ContainerRegistry={fixture.Registry}",
            "ContainerRepository=e2e/container-rids", $"ContainerBaseImage={fixture.RuntimeBase}", "UseAppHost=false", "-warnaserror");
        Assert.True(publish.ExitCode == 0, publish.All);
        AssertTagIsTheTwoPlatformIndex("e2e/container-rids", "latest");

        // DefaultArgs: the app command is the image's command, after the entrypoint (the base has none).
        var config = Skopeo.Config(Skopeo.ImageFor($"{fixture.Registry}/e2e/container-rids:latest", "linux/amd64")).GetProperty("config");
        Assert.False(config.TryGetProperty("Entrypoint", out var entrypoint) && entrypoint.ValueKind == JsonValueKind.Array && entrypoint.GetArrayLength() > 0);
        Assert.Equal(["dotnet", "/app/Rids.dll", "--greet"], config.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()));

        var run = Podman.Run($"{fixture.Registry}/e2e/container-rids:latest", "linux/amd64");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("args: --greet", run.Output);
    }
}
