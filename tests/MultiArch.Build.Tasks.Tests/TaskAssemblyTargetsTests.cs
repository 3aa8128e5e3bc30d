namespace MultiArch.Build.Tasks.Tests;

/// <summary>
/// Which tasks the package's targets load, and where their work runs: the .NET tasks on the SDK's MSBuild (the switch for
/// MSBuild 18's .NET task host is ignored there), the task host's UsingTasks only when that switch is on, and the
/// same coded errors when MultiArchOutOfProcess runs the work in the runner.
/// </summary>
public class TaskAssemblyTargetsTests
{
    private const string App = "<PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Version>1.0.0</Version></PropertyGroup>";

    [Fact]
    public void TheSdkMSBuildIgnoresTheNetTaskHostSwitch()
    {
        using var project = new EvaluationProject(App, globalProperties: new Dictionary<string, string> { ["MultiArchUseNetTaskHost"] = "true" });
        Assert.Equal("false", project.Property("_MultiArchNetTaskHost"));
        Assert.Equal("false", project.Property("MultiArchOutOfProcess"));
        var imports = project.Project.Imports.Select(i => Path.GetFileName(i.ImportedProject.FullPath)).ToList();
        Assert.Contains("MultiArch.Build.Tasks.targets", imports);
        Assert.DoesNotContain("MultiArch.Build.NetTaskHost.targets", imports);
    }

    [Fact]
    public void TheNetTaskHostUsingTasksRunTheTasksInMSBuildsTaskHost()
    {
        // Forced on here: the SDK's MSBuild 18 parses Runtime="NET" and runs the task in a .NET task host node, as MSBuild.exe 18 would.
        using var project = new EvaluationProject(App, globalProperties: new Dictionary<string, string> { ["_MultiArchNetTaskHost"] = "true", ["ContainerRepository"] = "My App" });
        var imports = project.Project.Imports.Select(i => Path.GetFileName(i.ImportedProject.FullPath)).ToList();
        Assert.Contains("MultiArch.Build.NetTaskHost.targets", imports);
        Assert.DoesNotContain("MultiArch.Build.Tasks.targets", imports);

        var (ok, instance, errors, warnings) = project.Run("_MultiArchComputeContainerConfig");

        Assert.True(ok, string.Join(Environment.NewLine, errors));
        Assert.Equal("my-app", instance.GetPropertyValue("ContainerRepository"));
        Assert.Contains(warnings, w => w.StartsWith("MAB3101:", StringComparison.Ordinal));
    }

    /// <summary>Rows of <see cref="BadInputTableTests.Publish"/> that reach each task of the preflight.</summary>
    public static TheoryData<string, string, string[], string, string[]> ThroughTheRunner()
    {
        var rows = new HashSet<string> { "unknown RID", "override for an unlisted platform", "tag starting with -", "port out of range", "SemVer tags of no version", "base image reference" };
        var data = new TheoryData<string, string, string[], string, string[]>();
        foreach (var row in BadInputTableTests.Publish)
        {
            if (rows.Contains((string)row[0])) data.Add((string)row[0], (string)row[1], (string[])row[2], (string)row[3], (string[])row[4]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ThroughTheRunner))]
    public void BadInputFailsWithTheSameCodeThroughTheRunner(string what, string body, string[] properties, string code, string[] mentions) =>
        new BadInputTableTests().PublishInputFailsInThePreflightWithItsCode(what, body, [.. properties, "MultiArchOutOfProcess=true"], code, mentions);
}
