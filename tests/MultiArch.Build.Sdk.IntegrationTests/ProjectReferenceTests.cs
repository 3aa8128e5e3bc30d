namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// Apps are rarely one project. An app that references a class library (which references another, with a
/// NuGet dependency) publishes for several platforms at once, fresh every time, with parallel inner builds;
/// and a solution of two apps that share a library publishes both images in one go.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class ProjectReferenceTests(SdkFixture fixture)
{
    private const string Library = """<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>{0}</Project>""";
    private const string Greeting = "namespace Lib2; public static class Greeting { public static string Text => Newtonsoft.Json.JsonConvert.SerializeObject(new { From = \"lib2\" }); }";
    private const string Relay = "namespace Lib1; public static class Relay { public static string Text => \"lib1+\" + Lib2.Greeting.Text; }";

    private static AppProject AppWithLibraries(SdkFixture fixture, string name, string extraProperties = "")
    {
        var app = new AppProject(fixture, name,
            AppProject.ConsoleProperties(extraProperties) + """<ItemGroup><ProjectReference Include="../Lib1/Lib1.csproj" /></ItemGroup>""",
            """Console.WriteLine("app+" + Lib1.Relay.Text);""");
        app.AddProject("Lib2", string.Format(Library, """<ItemGroup><PackageReference Include="Newtonsoft.Json" Version="13.0.3" /></ItemGroup>"""), ("Greeting.cs", Greeting));
        app.AddProject("Lib1", string.Format(Library, """<ItemGroup><ProjectReference Include="../Lib2/Lib2.csproj" /></ItemGroup>"""), ("Relay.cs", Relay));
        return app;
    }

    [Fact]
    public void AnAppWithAChainOfLibrariesPublishesFreshTenTimesInARowToTheSameDigest()
    {
        using var app = AppWithLibraries(fixture, "Chain");
        string repository = $"{fixture.Registry}/e2e/chain";
        var digests = new List<string>();
        for (int run = 1; run <= 10; run++)
        {
            app.Clean();
            var publish = app.Publish("ContainerPlatforms=\"linux-x64;linux-arm64\"", $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/chain",
                $"ContainerBaseImage={fixture.RuntimeBase}", $"ContainerImageTags=run{run}", "UseAppHost=false", "-warnaserror");
            Assert.True(publish.ExitCode == 0, $"fresh publish {run} of 10 failed:{Environment.NewLine}{publish.All}");
            digests.Add(Skopeo.DigestOf(Skopeo.InspectRawBytes($"{repository}:run{run}")));

            // Only the app's own restore output goes to its per-platform folders; each library keeps its own obj/.
            foreach (string rid in new[] { "linux-x64", "linux-arm64" })
            {
                var restored = Directory.GetFiles(Path.Combine(app.Directory, "obj", "multiarch", rid)).Select(Path.GetFileName).ToList();
                Assert.Contains("Chain.csproj.nuget.g.props", restored);
                Assert.DoesNotContain(restored, f => f!.StartsWith("Lib", StringComparison.Ordinal));
            }
            Assert.True(File.Exists(Path.Combine(app.Root, "Lib1", "obj", "project.assets.json")));
        }
        // Fresh publishes of the same sources give the same index, every time.
        Assert.Single(digests.Distinct());

        var run10 = Podman.Run(repository + ":run10", "linux/amd64");
        Assert.True(run10.ExitCode == 0, run10.All);
        Assert.Contains("app+lib1+{\"From\":\"lib2\"}", run10.Output);
    }

    [Fact]
    public void ASolutionOfTwoAppsThatShareALibraryPublishesBothImages()
    {
        using var first = AppWithLibraries(fixture, "First", "<ContainerPlatforms>linux-x64;linux-arm64</ContainerPlatforms><ContainerRepository>e2e/sln-first</ContainerRepository>");
        string second = first.AddProject("Second", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              {AppProject.ConsoleProperties("<ContainerPlatforms>linux-x64;linux-arm64</ContainerPlatforms><ContainerRepository>e2e/sln-second</ContainerRepository>")}
              <ItemGroup><ProjectReference Include="../Lib1/Lib1.csproj" /></ItemGroup>
              <ItemGroup><PackageReference Include="MultiArch.Build" Version="{fixture.PackageVersion}" /></ItemGroup>
            </Project>
            """, ("Program.cs", """Console.WriteLine("second+" + Lib1.Relay.Text);"""));
        string solution = Path.Combine(first.Root, "Apps.slnx");
        File.WriteAllText(solution, """
            <Solution>
              <Project Path="First/First.csproj" />
              <Project Path="Lib1/Lib1.csproj" />
              <Project Path="Lib2/Lib2.csproj" />
              <Project Path="Second/Second.csproj" />
            </Solution>
            """);
        Assert.True(File.Exists(second));

        for (int run = 1; run <= 2; run++)
        {
            first.Clean();
            var publish = first.PublishPath(solution, $"ContainerRegistry={fixture.Registry}", $"ContainerBaseImage={fixture.RuntimeBase}",
                $"ContainerImageTags=run{run}", "UseAppHost=false", "-warnaserror");
            Assert.True(publish.ExitCode == 0, $"solution publish {run} failed:{Environment.NewLine}{publish.All}");
            foreach (string repository in new[] { "e2e/sln-first", "e2e/sln-second" })
            {
                var index = Skopeo.InspectRaw($"{fixture.Registry}/{repository}:run{run}");
                Assert.Equal(["linux/amd64", "linux/arm64/v8"], index.GetProperty("manifests").EnumerateArray().Select(Skopeo.PlatformOf));
            }
        }
        var run2 = Podman.Run($"{fixture.Registry}/e2e/sln-second:run2", "linux/amd64");
        Assert.True(run2.ExitCode == 0, run2.All);
        Assert.Contains("second+lib1+{\"From\":\"lib2\"}", run2.Output);
    }
}
