namespace MultiArch.Build.Tasks.Tests;

/// <summary>How the package's targets evaluate: when they take over publish, and the defaults they compute.</summary>
public class TargetsEvaluationTests
{
    private const string Console = "<PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><AssemblyName>My.Cool_App</AssemblyName></PropertyGroup>";

    [Fact]
    public void WithoutContainerPlatformsTheSdkPublishIsUntouched()
    {
        using var project = new EvaluationProject(Console);
        Assert.Equal("false", project.Property("_MultiArchIsOuterPublish"));
        var instance = project.Project.CreateProjectInstance();
        Assert.Contains("Build", instance.Targets["_PublishBuildAlternative"].DependsOnTargets);
        Assert.DoesNotContain("PublishContainerPlatforms", instance.Targets["_PublishBuildAlternative"].DependsOnTargets);
    }

    [Fact]
    public void ContainerPlatformsReplacesThePortablePublish()
    {
        using var project = new EvaluationProject(Console, globalProperties: new Dictionary<string, string> { ["ContainerPlatforms"] = "linux-x64;linux-arm64" });
        Assert.Equal("true", project.Property("_MultiArchIsOuterPublish"));
        var instance = project.Project.CreateProjectInstance();
        Assert.Equal("PublishContainerPlatforms", instance.Targets["_PublishBuildAlternative"].DependsOnTargets.Trim());
        Assert.Equal("PublishContainerPlatforms", instance.Targets["_PublishNoBuildAlternative"].DependsOnTargets.Trim());
    }

    [Fact]
    public void DesignTimeBuildsAndInnerBuildsDoNothing()
    {
        using var designTime = new EvaluationProject(Console, globalProperties: new Dictionary<string, string> { ["ContainerPlatforms"] = "linux-x64", ["DesignTimeBuild"] = "true" });
        Assert.Equal("false", designTime.Property("_MultiArchIsOuterPublish"));
        using var inner = new EvaluationProject(Console, globalProperties: new Dictionary<string, string> { ["ContainerPlatforms"] = "linux-x64", ["_MultiArchInner"] = "true" });
        Assert.Equal("false", inner.Property("_MultiArchIsOuterPublish"));
    }

    [Theory]
    [InlineData("", "", "", "true")] // ContainerRuntimeIdentifiers alone: the SDK's multi-RID property is the platform list
    [InlineData("", "Container", "", "true")] // the SDK's DefaultContainer profile
    [InlineData("", "Custom", "", "true")]
    [InlineData("", "FileSystem", "", "false")] // a folder profile publishes to the folder
    [InlineData("", "ZipDeploy", "", "false")]
    [InlineData("", "FileSystem", "true", "true")]
    [InlineData("", "", "false", "false")]
    [InlineData("linux-x64", "", "", "true")]
    public void WhenThePublishMakesTheImage(string platforms, string webPublishMethod, string enable, string expected)
    {
        var globals = new Dictionary<string, string> { ["ContainerRuntimeIdentifiers"] = "linux-x64;linux-arm64" };
        if (platforms != "") globals["ContainerPlatforms"] = platforms;
        if (webPublishMethod != "") globals["WebPublishMethod"] = webPublishMethod;
        if (enable != "") globals["EnableMultiArchContainer"] = enable;
        using var project = new EvaluationProject(Console, globalProperties: globals);
        Assert.Equal(expected, project.Property("_MultiArchIsOuterPublish"));
        Assert.Equal(platforms != "" ? platforms : "linux-x64;linux-arm64", project.Property("ContainerPlatforms"));
        if (expected == "true")
        {
            // The SDK's own container publish is off, and PublishContainer runs the multi-platform publish.
            Assert.Equal("false", project.Property("EnableSdkContainerSupport"));
            Assert.Contains("PublishContainerPlatforms", project.Project.CreateProjectInstance().Targets["_MultiArchInsteadOfSdkPublishContainer"].DependsOnTargets);
        }
    }

    [Fact]
    public void InnerBuildsHideTheirPerPlatformPropertiesFromReferencedProjects()
    {
        using var inner = new EvaluationProject(Console, globalProperties: new Dictionary<string, string> { ["ContainerPlatforms"] = "linux-x64", ["_MultiArchInner"] = "true" });
        var removed = inner.Property("_GlobalPropertiesToRemoveFromProjectReferences").Split(';', StringSplitOptions.RemoveEmptyEntries);
        Assert.Superset(new HashSet<string> { "_MultiArchInner", "_MultiArchPlatformName", "MSBuildProjectExtensionsPath", "PublishDir", "EnableBaseIntermediateOutputPathMismatchWarning" }, removed.ToHashSet());
        Assert.Equal("false", inner.Property("EnableSdkContainerSupport"));
        using var plain = new EvaluationProject(Console);
        Assert.DoesNotContain("_MultiArchInner", plain.Property("_GlobalPropertiesToRemoveFromProjectReferences"));
        Assert.Equal("true", plain.Property("EnableSdkContainerSupport"));
    }

    [Fact]
    public void PlatformListMixesRidsAndOciPlatformsWithEitherSeparator()
    {
        using var project = new EvaluationProject(Console, globalProperties: new Dictionary<string, string> { ["ContainerPlatforms"] = " linux-x64 , linux/arm64;linux/arm/v7" });
        var (ok, instance, errors, _) = project.Run("_MultiArchComputePlatforms");
        Assert.True(ok, string.Join(Environment.NewLine, errors));
        var items = instance.GetItems("_MultiArchPlatform").ToList();
        Assert.Equal(["linux/amd64", "linux/arm64", "linux/arm/v7"], items.Select(i => i.EvaluatedInclude));
        Assert.Equal(["linux-x64", "linux-arm64", "linux-arm"], items.Select(i => i.GetMetadataValue("RuntimeIdentifier")));
        Assert.All(items, i => Assert.Equal("mcr.microsoft.com/dotnet/runtime:10.0", i.GetMetadataValue("BaseImage")));
    }

    [Theory]
    [InlineData("Microsoft.NET.Sdk", "", "linux-x64", "mcr.microsoft.com/dotnet/runtime:10.0")]
    [InlineData("Microsoft.NET.Sdk", "<SelfContained>true</SelfContained>", "linux-x64", "mcr.microsoft.com/dotnet/runtime-deps:10.0")]
    [InlineData("Microsoft.NET.Sdk", "<PublishAot>true</PublishAot>", "linux-x64", "mcr.microsoft.com/dotnet/runtime-deps:10.0")]
    [InlineData("Microsoft.NET.Sdk.Web", "", "linux-x64", "mcr.microsoft.com/dotnet/aspnet:10.0")]
    [InlineData("Microsoft.NET.Sdk", "", "linux-musl-arm64", "mcr.microsoft.com/dotnet/runtime:10.0-alpine")]
    [InlineData("Microsoft.NET.Sdk", "<ContainerFamily>noble-chiseled</ContainerFamily>", "linux-x64", "mcr.microsoft.com/dotnet/runtime:10.0-noble-chiseled")]
    [InlineData("Microsoft.NET.Sdk", "<ContainerBaseRegistry>mirror.example.com:5000</ContainerBaseRegistry>", "linux-x64", "mirror.example.com:5000/dotnet/runtime:10.0")]
    [InlineData("Microsoft.NET.Sdk", "<ContainerBaseImage>registry.example.com/base/img:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef</ContainerBaseImage>", "linux-x64", "registry.example.com/base/img:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void BaseImageIsInferredLikeTheSdk(string sdk, string extra, string rid, string expected)
    {
        string body = $"<PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework>{extra}</PropertyGroup>";
        using var project = new EvaluationProject(body, sdk, new Dictionary<string, string> { ["ContainerPlatforms"] = rid });
        var (ok, instance, errors, _) = project.Run("_MultiArchComputePlatforms");
        Assert.True(ok, string.Join(Environment.NewLine, errors));
        Assert.Equal(expected, Assert.Single(instance.GetItems("_MultiArchPlatform")).GetMetadataValue("BaseImage"));
    }

    [Fact]
    public void OsFeaturesReachTheInnerBuildsAndThePublish()
    {
        using var project = new EvaluationProject(Console, globalProperties: new Dictionary<string, string> { ["ContainerPlatforms"] = "linux(+erofs)/amd64" });
        var (ok, instance, errors, _) = project.Run("_MultiArchComputePlatforms");
        Assert.True(ok, string.Join(Environment.NewLine, errors));
        var item = Assert.Single(instance.GetItems("_MultiArchPlatform"));
        Assert.Equal("linux(+erofs)/amd64", item.EvaluatedInclude);
        Assert.Equal("linux-x64", item.GetMetadataValue("RuntimeIdentifier"));
    }

    [Fact]
    public void PerPlatformBaseImageOverride()
    {
        string body = Console + "<ItemGroup><ContainerPlatform Include=\"linux/arm64\" BaseImage=\"r.example.com/arm/base:1\" /></ItemGroup>";
        using var project = new EvaluationProject(body, globalProperties: new Dictionary<string, string> { ["ContainerPlatforms"] = "linux-x64;linux-arm64" });
        var (ok, instance, errors, _) = project.Run("_MultiArchComputePlatforms");
        Assert.True(ok, string.Join(Environment.NewLine, errors));
        var items = instance.GetItems("_MultiArchPlatform").ToDictionary(i => i.EvaluatedInclude, i => i.GetMetadataValue("BaseImage"));
        Assert.Equal("mcr.microsoft.com/dotnet/runtime:10.0", items["linux/amd64"]);
        Assert.Equal("r.example.com/arm/base:1", items["linux/arm64"]);
    }

    [Fact]
    public void ContainerConfigDefaults()
    {
        using var project = new EvaluationProject(Console, globalProperties: new Dictionary<string, string> { ["ContainerPlatforms"] = "linux-x64" });
        var (ok, instance, errors, warnings) = project.Run("_MultiArchComputeContainerConfig");
        Assert.True(ok, string.Join(Environment.NewLine, errors));
        // The lowercased AssemblyName, normalized once, with a coded warning.
        Assert.Equal("my.cool_app", instance.GetPropertyValue("ContainerRepository"));
        Assert.Contains(warnings, w => w.StartsWith("MAB3101:", StringComparison.Ordinal) && w.Contains("'my.cool_app'"));
        Assert.Equal("latest", instance.GetPropertyValue("ContainerImageTags"));
        Assert.Equal("/app/", instance.GetPropertyValue("ContainerWorkingDirectory"));
        Assert.EndsWith("container-image/", instance.GetPropertyValue("ContainerLayoutPath"));
    }

    [Fact]
    public void RegistryTurnsOffTheDefaultLayout()
    {
        using var project = new EvaluationProject(Console, globalProperties: new Dictionary<string, string> { ["ContainerPlatforms"] = "linux-x64", ["ContainerRegistry"] = "127.0.0.1:5000", ["ContainerImageTag"] = "1.0" });
        var (ok, instance, errors, _) = project.Run("_MultiArchComputeContainerConfig");
        Assert.True(ok, string.Join(Environment.NewLine, errors));
        Assert.Equal("", instance.GetPropertyValue("ContainerLayoutPath"));
        Assert.Equal("1.0", instance.GetPropertyValue("ContainerImageTags"));
    }

    [Fact]
    public void PushByDigestWarnsThatTagsAreNotApplied()
    {
        using var tagged = new EvaluationProject(Console, globalProperties: new Dictionary<string, string> { ["ContainerPlatforms"] = "linux-x64", ["ContainerPushByDigest"] = "true", ["ContainerImageTags"] = "1.0" });
        var (ok, _, errors, warnings) = tagged.Run("_MultiArchComputeContainerConfig");
        Assert.True(ok, string.Join(Environment.NewLine, errors));
        Assert.Contains(warnings, w => w.StartsWith("MAB3102:", StringComparison.Ordinal) && w.Contains("(1.0)"));

        using var untagged = new EvaluationProject(Console, globalProperties: new Dictionary<string, string> { ["ContainerPlatforms"] = "linux-x64", ["ContainerPushByDigest"] = "true" });
        Assert.DoesNotContain(untagged.Run("_MultiArchComputeContainerConfig").Warnings, w => w.StartsWith("MAB3102:", StringComparison.Ordinal));
    }

    [Fact]
    public void OuterPublishNamesTheFolderThatHoldsEveryPlatform()
    {
        using var project = new EvaluationProject(Console, globalProperties: new Dictionary<string, string> { ["ContainerPlatforms"] = "linux-x64" });
        Assert.EndsWith("multiarch/", project.Property("PublishDir").Replace('\\', '/'));
    }

    [Fact]
    public void SeveralFrameworksWithNoneChosenIsRefusedWithACode()
    {
        using var project = new EvaluationProject("<PropertyGroup><OutputType>Exe</OutputType><TargetFrameworks>net10.0;net9.0</TargetFrameworks></PropertyGroup>",
            globalProperties: new Dictionary<string, string> { ["ContainerPlatforms"] = "linux-x64" });
        var (ok, _, errors, _) = project.Run("_MultiArchValidateProject");
        Assert.False(ok);
        Assert.Contains(errors, e => e.StartsWith("MAB3002:", StringComparison.Ordinal) && e.Contains("-f net10.0"));
    }
}
