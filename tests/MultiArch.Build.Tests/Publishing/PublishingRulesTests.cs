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
        Assert.Equal(["dotnet", "/app/Hello.dll", "--x"], Process(args, "linux", "/app/").Entrypoint);
        Assert.Equal(["serve"], Process(args, "linux", "/app/").Cmd);
        Assert.Equal(["dotnet", "/srv/Hello.dll", "--x"], Process(args, "linux", "/srv").Entrypoint);
    }

    [Fact]
    public void SelfContainedAppStartsItsApphostWithExeOnWindows()
    {
        var args = new ExecutionArgs { AssemblyName = "Hello", TargetFileName = "Hello.dll", IsSelfContained = true };
        Assert.Equal(["/app/Hello"], Process(args, "linux", "/app/").Entrypoint);
        Assert.Equal(["C:\\app\\Hello.exe"], Process(args, "windows", "C:\\app\\").Entrypoint);
    }

    // The SDK's table: where the app command goes for each ContainerAppCommandInstruction, and what is inferred when it is empty.
    [Theory]
    // empty: an explicit entrypoint makes the app command the default arguments
    [InlineData(null, "/bin/sh|-c", "exec app", "", "", "", "/bin/sh|-c|exec app", "dotnet|/app/A.dll")]
    // empty: only ContainerEntrypointArgs keep their old meaning, the app's arguments
    [InlineData(null, "", "--port|80", "", "", "", "dotnet|/app/A.dll", "--port|80")]
    [InlineData(null, "", "", "", "--x", "serve", "dotnet|/app/A.dll|--x", "serve")]
    [InlineData(AppCommandInstruction.Entrypoint, "", "", "/app/run", "--x", "serve", "/app/run|--x", "serve")]
    [InlineData(AppCommandInstruction.DefaultArgs, "", "", "", "--x", "serve", "tini|--", "dotnet|/app/A.dll|--x|serve")]
    [InlineData(AppCommandInstruction.DefaultArgs, "/bin/sh|-c", "", "", "", "", "/bin/sh|-c", "dotnet|/app/A.dll")]
    [InlineData(AppCommandInstruction.None, "", "", "", "", "serve", "tini|--", "serve")]
    [InlineData(AppCommandInstruction.None, "/entry", "", "", "", "", "/entry", "")]
    public void AppCommandInstructionPlacesTheAppCommandAsTheSdkDoes(AppCommandInstruction? instruction, string entrypoint, string entrypointArgs,
        string appCommand, string appCommandArgs, string defaultArgs, string expectedEntrypoint, string expectedCmd)
    {
        var args = new ExecutionArgs
        {
            Instruction = instruction, Entrypoint = List(entrypoint), EntrypointArgs = List(entrypointArgs), AppCommand = List(appCommand),
            AppCommandArgs = List(appCommandArgs), DefaultArgs = List(defaultArgs), AssemblyName = "A", TargetFileName = "A.dll",
        };
        var (entry, cmd) = args.ProcessFor("linux", "/app/", ["tini", "--"]);
        Assert.Equal(List(expectedEntrypoint), entry);
        Assert.Equal(List(expectedCmd), cmd);
    }

    [Fact]
    public void ABaseEntrypointOfDotnetAloneIsNotKept()
    {
        var args = new ExecutionArgs { Instruction = AppCommandInstruction.DefaultArgs, AssemblyName = "A", TargetFileName = "A.dll" };
        Assert.Empty(args.ProcessFor("linux", "/app/", ["dotnet"]).Entrypoint);
        Assert.Equal(["dotnet", "/app/A.dll"], args.ProcessFor("linux", "/app/", ["dotnet"]).Cmd);
    }

    [Theory]
    [InlineData(AppCommandInstruction.Entrypoint, "/entry", "", "")] // the app command is the entrypoint, so ContainerEntrypoint contradicts it
    [InlineData(AppCommandInstruction.None, "", "/app/run", "")] // None uses no app command
    [InlineData(AppCommandInstruction.None, "", "", "--x")]
    [InlineData(AppCommandInstruction.DefaultArgs, "", "", "")] // entrypoint arguments below: no entrypoint to take them
    public void ContradictoryStartSettingsAreACodedError(AppCommandInstruction instruction, string entrypoint, string appCommand, string appCommandArgs)
    {
        var args = new ExecutionArgs
        {
            Instruction = instruction, Entrypoint = List(entrypoint), AppCommand = List(appCommand), AppCommandArgs = List(appCommandArgs),
            EntrypointArgs = instruction == AppCommandInstruction.DefaultArgs ? ["--x"] : [], AssemblyName = "A", TargetFileName = "A.dll",
        };
        var error = Assert.Throws<MabException>(() => args.ProcessFor("linux", "/app/", null));
        Assert.Equal(ErrorCode.ConflictingStartCommand, error.Code);
    }

    [Theory]
    [InlineData("entrypoint", AppCommandInstruction.Entrypoint)]
    [InlineData("DefaultArgs", AppCommandInstruction.DefaultArgs)]
    [InlineData(" None ", AppCommandInstruction.None)]
    [InlineData("", null)]
    public void AppCommandInstructionIsParsed(string value, AppCommandInstruction? expected) => Assert.Equal(expected, AppCommandInstructions.Parse(value));

    [Fact]
    public void AnUnknownAppCommandInstructionIsACodedError() =>
        Assert.Equal(ErrorCode.InvalidAppCommandInstruction, Assert.Throws<MabException>(() => AppCommandInstructions.Parse("Cmd")).Code);

    private static (IReadOnlyList<string> Entrypoint, IReadOnlyList<string> Cmd) Process(ExecutionArgs args, string os, string directory) =>
        args.ProcessFor(os, directory, null);

    private static List<string> List(string joined) => joined.Split('|', StringSplitOptions.RemoveEmptyEntries).ToList();

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
