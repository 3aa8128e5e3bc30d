namespace MultiArch.Build.Tasks.Tests;

/// <summary>The layer strategy default and the caches' place under obj/, and that Clean removes them.</summary>
public class LayerCacheTargetsTests
{
    private const string Console = "<PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>";

    [Fact]
    public void LayersAreSplitByDefaultAndCachedUnderObj()
    {
        using var project = new EvaluationProject(Console, globalProperties: new Dictionary<string, string> { ["ContainerPlatforms"] = "linux-x64" });
        var (ok, instance, errors, _) = project.Run("_MultiArchComputeContainerConfig");
        Assert.True(ok, string.Join(Environment.NewLine, errors));
        Assert.Equal("Split", instance.GetPropertyValue("ContainerLayerStrategy"));
        string projectDirectory = Path.GetDirectoryName(project.ProjectPath)!;
        Assert.Equal(Path.Combine(projectDirectory, "obj", "multiarch", "layers") + "/", Path.GetFullPath(instance.GetPropertyValue("_MultiArchLayerCache")));
    }

    [Fact]
    public void AnExplicitStrategyIsKept()
    {
        // Set in the project, as a user does: a global property could not be overwritten by a wrong default, so it would prove nothing.
        using var project = new EvaluationProject(Console + "<PropertyGroup><ContainerLayerStrategy>Single</ContainerLayerStrategy></PropertyGroup>",
            globalProperties: new Dictionary<string, string> { ["ContainerPlatforms"] = "linux-x64" });
        var (ok, instance, errors, _) = project.Run("_MultiArchComputeContainerConfig");
        Assert.True(ok, string.Join(Environment.NewLine, errors));
        Assert.Equal("Single", instance.GetPropertyValue("ContainerLayerStrategy"));
    }

    [Fact]
    public void CleanRemovesTheLayerCacheAndBlobs()
    {
        using var project = new EvaluationProject(Console);
        string obj = Path.Combine(Path.GetDirectoryName(project.ProjectPath)!, "obj", "multiarch");
        foreach (string folder in new[] { "layers", "blobs/sha256" })
        {
            Directory.CreateDirectory(Path.Combine(obj, folder));
            File.WriteAllText(Path.Combine(obj, folder, "entry"), "x");
        }

        var (ok, _, errors, _) = project.Run("Clean");

        Assert.True(ok, string.Join(Environment.NewLine, errors));
        Assert.False(Directory.Exists(Path.Combine(obj, "layers")));
        Assert.False(Directory.Exists(Path.Combine(obj, "blobs")));
    }
}
