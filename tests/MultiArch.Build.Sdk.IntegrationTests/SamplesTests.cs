namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// The samples, published as a user would (the web API through its publish profile, as an IDE does), with
/// -warnaserror: MultiArch.Build's own plumbing causes no warning, so a build that treats warnings as errors
/// passes and pushes.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class SamplesTests(SdkFixture fixture) : IDisposable
{
    private readonly string _copy = Path.Combine(Path.GetTempPath(), "mab-e2e-samples-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void TheSamplesPublishWithWarningsAsErrors()
    {
        CopyDirectory(Path.Combine(fixture.RepositoryRoot, "samples"), _copy);
        File.WriteAllText(Path.Combine(_copy, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><add key="multiarch-under-test" value="{fixture.PackageFeed}" /></packageSources></configuration>
            """);
        string[] common = ["-c", "Release", "-nodeReuse:false", "-warnaserror", $"-p:MultiArchBuildVersion={fixture.PackageVersion}",
            $"-p:ContainerRegistry={fixture.Registry}", $"-p:ContainerBaseRegistry={fixture.Registry}", "-p:UseAppHost=false"];

        var web = ProcessRunner.Run("dotnet", ["publish", Path.Combine(_copy, "WebApi", "WebApi.csproj"), "-p:PublishProfile=MultiArch", .. common], _copy);
        Assert.True(web.ExitCode == 0, web.All);
        Assert.DoesNotMatch(@": warning [A-Z]+[0-9]+", web.Output);
        var index = Skopeo.InspectRaw($"{fixture.Registry}/samples/webapi:latest");
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], index.GetProperty("manifests").EnumerateArray().Select(Skopeo.PlatformOf));

        var hello = ProcessRunner.Run("dotnet", ["publish", Path.Combine(_copy, "HelloMultiArch", "HelloMultiArch.csproj"), "-p:ContainerImageTags=samples", .. common], _copy);
        Assert.True(hello.ExitCode == 0, hello.All);
        Assert.DoesNotMatch(@": warning [A-Z]+[0-9]+", hello.Output);
        Assert.Contains("samples", Skopeo.Tags($"{fixture.Registry}/samples/hello-multiarch")!);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")) continue;
            string target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_copy, recursive: true); } catch (IOException) { }
    }
}
