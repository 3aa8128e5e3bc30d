namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>Every bad input fails with its code, says what to do, and pushes nothing.</summary>
[Collection(SdkCollection.Name)]
public sealed class BadInputTests(SdkFixture fixture)
{
    private const string Program = "Console.WriteLine(\"never runs\");";

    [Theory]
    [InlineData("unknown-rid", "ContainerPlatforms=\"linux-x64;osx-arm64\"", "MAB1102", "linux-arm64")]
    [InlineData("missing-platform", "ContainerPlatforms=\"linux-x64;linux-s390x\"", "MAB2008", "linux/amd64, linux/arm64/v8")]
    [InlineData("bad-tag", "ContainerImageTags=\"1.0;-bad\"", "MAB3004", "-bad")]
    [InlineData("bad-format", "ContainerImageFormat=Zip", "MAB3010", "OCI or Docker")]
    public void BadInputGetsItsCodeAndPushesNothing(string repository, string property, string code, string mentions)
    {
        using var app = new AppProject(fixture, "Bad" + repository.Replace("-", ""), AppProject.ConsoleProperties(), Program);
        var publish = app.Publish("ContainerPlatforms=\"linux-x64;linux-arm64\"", $"ContainerRegistry={fixture.Registry}", $"ContainerRepository=e2e-bad/{repository}",
            $"ContainerBaseImage={fixture.RuntimeBase}", "UseAppHost=false", property);
        AssertFailedWith(publish, code, mentions);
        Assert.Null(Skopeo.Tags($"{fixture.Registry}/e2e-bad/{repository}"));
        // Each of these is caught before any platform is compiled or published.
        Assert.False(Directory.Exists(Path.Combine(app.Directory, "bin")), "a platform was built before the error:" + Environment.NewLine + publish.Output);
    }

    [Fact]
    public void UnreachableRegistryIsACodedErrorNamingIt()
    {
        using var app = new AppProject(fixture, "Unreachable", AppProject.ConsoleProperties(), Program);
        var publish = app.Publish("ContainerPlatforms=linux-x64", "ContainerRegistry=127.0.0.1:9", "ContainerRepository=e2e-bad/unreachable",
            $"ContainerBaseImage={fixture.RuntimeBase}", "UseAppHost=false");
        AssertFailedWith(publish, "MAB2003", "127.0.0.1:9");
    }

    [Fact]
    public void LibraryIsRefused()
    {
        using var app = new AppProject(fixture, "Library", "<PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>", "public class Library { }");
        var publish = app.Publish("ContainerPlatforms=linux-x64", $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e-bad/library");
        AssertFailedWith(publish, "MAB3001", "not on a library");
        Assert.Null(Skopeo.Tags($"{fixture.Registry}/e2e-bad/library"));
    }

    [Fact]
    public void SeveralFrameworksWithNoneChosenIsRefused()
    {
        using var app = new AppProject(fixture, "MultiTarget", "<PropertyGroup><OutputType>Exe</OutputType><TargetFrameworks>net10.0;net9.0</TargetFrameworks><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>", Program);
        var publish = app.Publish("ContainerPlatforms=linux-x64", $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e-bad/multitarget");
        AssertFailedWith(publish, "MAB3002", "-f net10.0");
        Assert.Null(Skopeo.Tags($"{fixture.Registry}/e2e-bad/multitarget"));
    }

    private static void AssertFailedWith(ProcessResult publish, string code, string mentions)
    {
        Assert.True(publish.ExitCode != 0, "publish should have failed:" + Environment.NewLine + publish.All);
        var errors = publish.Output.Split('\n').Where(l => l.Contains(" error ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Any(l => l.Contains("error " + code, StringComparison.Ordinal) && l.Contains(mentions, StringComparison.Ordinal)),
            $"expected an error {code}… mentioning '{mentions}', got:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }
}
