namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// The samples, published as a user would (the web API through its publish profile, as an IDE does), with
/// -warnaserror: MultiArch.Build's own plumbing causes no warning, so a build that treats warnings as errors
/// passes and pushes.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class SamplesTests(SdkFixture fixture)
{
    [Fact]
    public void TheSamplesPublishWithWarningsAsErrors()
    {
        using var samples = AppProject.CopyOf(fixture, Path.Combine(fixture.RepositoryRoot, "samples"), Path.Combine("WebApi", "WebApi.csproj"));
        string[] common = ["-warnaserror", $"MultiArchBuildVersion={fixture.PackageVersion}",
            $"ContainerRegistry={fixture.Registry}", $"ContainerBaseRegistry={fixture.Registry}", "UseAppHost=false"];

        var web = samples.Publish(["PublishProfile=MultiArch", .. common]);
        Assert.True(web.ExitCode == 0, web.All);
        Assert.DoesNotMatch(@": warning [A-Z]+[0-9]+", web.Output);
        var index = Skopeo.InspectRaw($"{fixture.Registry}/samples/webapi:latest");
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], index.GetProperty("manifests").EnumerateArray().Select(Skopeo.PlatformOf));

        var hello = samples.PublishPath(Path.Combine(samples.Root, "HelloMultiArch", "HelloMultiArch.csproj"), ["ContainerImageTags=samples", .. common]);
        Assert.True(hello.ExitCode == 0, hello.All);
        Assert.DoesNotMatch(@": warning [A-Z]+[0-9]+", hello.Output);
        Assert.Contains("samples", Skopeo.Tags($"{fixture.Registry}/samples/hello-multiarch")!);
    }
}
