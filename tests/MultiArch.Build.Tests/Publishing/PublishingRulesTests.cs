using MultiArch.Build.Diagnostics;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tests.Publishing;

public class PublishingRulesTests
{
    [Theory]
    [InlineData("myapp", "myapp", false)]
    [InlineData("My.Cool_App", "my.cool_app", true)]
    [InlineData("team/My App", "team/my-app", true)]
    [InlineData("a__b/c--d", "a__b/c--d", false)]
    [InlineData("-lead.trail-", "lead.trail", true)]
    [InlineData("x!!y", "x--y", true)]
    [InlineData("a._b", "a-b", true)]
    public void RepositoryNamesAreNormalized(string input, string expected, bool changed)
    {
        Assert.Equal((expected, changed), RepositoryNames.Normalize(input));
    }

    [Theory]
    [InlineData("///")]
    [InlineData("!!!")]
    [InlineData("")]
    public void UnusableRepositoryIsACodedError(string input)
    {
        Assert.Equal(ErrorCode.InvalidRepository, Assert.Throws<MabException>(() => RepositoryNames.Normalize(input)).Code);
    }

    [Fact]
    public void TagsSplitOnSemicolonCommaAndWhitespace()
    {
        Assert.Equal(["1.0", "latest", "sha-abc"], ImageTags.ParseList(" 1.0;latest, sha-abc 1.0\n"));
        Assert.Equal(["latest"], ImageTags.ParseList(""));
        Assert.Equal(["latest"], ImageTags.ParseList(null));
    }

    [Theory]
    [InlineData("-bad")]
    [InlineData(".bad")]
    [InlineData("1.0+build")]
    [InlineData("a:b")]
    public void InvalidTagIsACodedError(string tag)
    {
        var ex = Assert.Throws<MabException>(() => ImageTags.ParseList("ok;" + tag));
        Assert.Equal(ErrorCode.InvalidTag, ex.Code);
        Assert.Contains(tag, ex.Message);
    }

    [Fact]
    public void A128CharacterTagIsTheLimit()
    {
        Assert.Single(ImageTags.ParseList(new string('a', 128)));
        Assert.Throws<MabException>(() => ImageTags.ParseList(new string('a', 129)));
    }

    [Fact]
    public void FrameworkDependentAppStartsWithDotnet()
    {
        var args = new ExecutionArgs { AssemblyName = "Hello", TargetFileName = "Hello.dll", AppCommandArgs = ["--x"], DefaultArgs = ["serve"] };
        Assert.Equal(["dotnet", "/app/Hello.dll", "--x"], args.EntrypointFor("linux", "/app/"));
        Assert.Equal(["dotnet", "/srv/Hello.dll", "--x"], args.EntrypointFor("linux", "/srv"));
        Assert.Equal(["serve"], args.Cmd);
    }

    [Fact]
    public void SelfContainedAppStartsItsApphostWithExeOnWindows()
    {
        var args = new ExecutionArgs { AssemblyName = "Hello", TargetFileName = "Hello.dll", IsSelfContained = true };
        Assert.Equal(["/app/Hello"], args.EntrypointFor("linux", "/app/"));
        Assert.Equal(["C:\\app\\Hello.exe"], args.EntrypointFor("windows", "C:\\app\\"));
    }

    [Fact]
    public void ExplicitEntrypointWinsOverTheAppCommand()
    {
        var args = new ExecutionArgs { Entrypoint = ["/bin/sh", "-c"], EntrypointArgs = ["exec app"], AppCommand = ["ignored"], AssemblyName = "A", TargetFileName = "A.dll" };
        Assert.Equal(["/bin/sh", "-c", "exec app"], args.EntrypointFor("linux", "/app/"));
    }

    [Theory]
    [InlineData(AppKind.Runtime, "v10.0", false, null, null, "mcr.microsoft.com/dotnet/runtime:10.0")]
    [InlineData(AppKind.AspNet, "net9.0", true, null, null, "mcr.microsoft.com/dotnet/aspnet:9.0-alpine")]
    [InlineData(AppKind.SelfContained, "8.0", true, "noble-chiseled", null, "mcr.microsoft.com/dotnet/runtime-deps:8.0-noble-chiseled")]
    [InlineData(AppKind.Runtime, "v10.0", false, null, "mirror:5000/", "mirror:5000/dotnet/runtime:10.0")]
    public void BaseImageInference(AppKind kind, string tfm, bool musl, string? family, string? registry, string expected)
    {
        Assert.Equal(expected, Build.Publishing.BaseImageInference.Infer(kind, tfm, musl, family, registry));
    }

    [Fact]
    public void UnknownFrameworkVersionIsACodedError()
    {
        Assert.Equal(ErrorCode.UnknownTargetFramework, Assert.Throws<MabException>(() => Build.Publishing.BaseImageInference.MajorMinor("vNext")).Code);
    }

    [Fact]
    public void SourceDateEpochDrivesTheCreatedTime()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), ReproducibleTime.Created("1700000000"));
        Assert.Equal(DateTimeOffset.UnixEpoch, ReproducibleTime.Created(""));
        // The same coded error as for layer mtimes, not a silent 1970.
        Assert.Equal(ErrorCode.LayerInvalidMtime, Assert.Throws<MabException>(() => ReproducibleTime.Created("yesterday")).Code);
    }
}
