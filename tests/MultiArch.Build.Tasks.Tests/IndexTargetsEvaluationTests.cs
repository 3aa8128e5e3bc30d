namespace MultiArch.Build.Tasks.Tests;

/// <summary>The index tooling targets: SemVer tags, generated annotation values, and the public targets that publish nothing.</summary>
public class IndexTargetsEvaluationTests
{
    private const string Console = "<PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><AssemblyName>IndexApp</AssemblyName></PropertyGroup>";

    private static (bool Ok, string Tags, IReadOnlyList<string> Errors) Tags(string version, string? imageTags = null)
    {
        var properties = new Dictionary<string, string> { ["ContainerSemVerTags"] = "true", ["Version"] = version };
        if (imageTags is not null) properties["ContainerImageTags"] = imageTags;
        using var project = new EvaluationProject(Console, globalProperties: properties);
        var (ok, instance, errors, _) = project.Run("_MultiArchComputeContainerConfig");
        return (ok, instance.GetPropertyValue("ContainerImageTags"), errors);
    }

    [Theory]
    [InlineData("1.2.3", "1.2.3;1.2;1;latest")]
    [InlineData("1.2.3+sha.5114f85", "1.2.3;1.2;1;latest")]
    [InlineData("1.3.0-rc.1", "1.3.0-rc.1")]
    [InlineData("1.3.0-rc.1+build.7", "1.3.0-rc.1")]
    [InlineData("0.4.1", "0.4.1;0.4;latest")]
    [InlineData("2.0", "2.0.0;2.0;2;latest")]
    public void SemVerTagsExpandTheVersion(string version, string expected)
    {
        var (ok, tags, errors) = Tags(version);
        Assert.True(ok, string.Join(Environment.NewLine, errors));
        Assert.Equal(expected, tags);
    }

    [Fact]
    public void SemVerTagsFollowTagsTheProjectSetItself()
    {
        var (ok, tags, errors) = Tags("1.2.3", "stable;1.2.3");
        Assert.True(ok, string.Join(Environment.NewLine, errors));
        Assert.Equal("stable;1.2.3;1.2;1;latest", tags);
    }

    [Fact]
    public void AVersionThatIsNotSemVerIsACodedError()
    {
        var (ok, _, errors) = Tags("banana");
        Assert.False(ok);
        Assert.StartsWith("MAB4010", Assert.Single(errors));
    }

    [Fact]
    public void APrereleaseTooLongForATagIsACodedError()
    {
        var (ok, _, errors) = Tags("1.0.0-" + new string('a', 130));
        Assert.False(ok);
        Assert.StartsWith("MAB4011", Assert.Single(errors));
    }

    [Fact]
    public void AnnotationValuesComeFromTheProject()
    {
        string body = Console + """
            <PropertyGroup>
              <Version>3.1.4</Version>
              <SourceRevisionId>0123abcd</SourceRevisionId>
              <RepositoryUrl>https://example.com/team/app</RepositoryUrl>
              <Description>An app: with a colon</Description>
              <PackageLicenseExpression>MIT</PackageLicenseExpression>
            </PropertyGroup>
            """;
        using var project = new EvaluationProject(body);
        var (ok, instance, errors, _) = project.Run("_MultiArchComputeImageMetadata");
        Assert.True(ok, string.Join(Environment.NewLine, errors));
        var values = instance.GetItems("_MultiArchGeneratedAnnotation").ToDictionary(i => i.EvaluatedInclude, i => i.GetMetadataValue("Value"));
        Assert.Equal("3.1.4", values["org.opencontainers.image.version"]);
        Assert.Equal("0123abcd", values["org.opencontainers.image.revision"]);
        Assert.Equal("https://example.com/team/app", values["org.opencontainers.image.source"]);
        Assert.Equal("IndexApp", values["org.opencontainers.image.title"]);
        Assert.Equal("An app: with a colon", values["org.opencontainers.image.description"]);
        Assert.Equal("MIT", values["org.opencontainers.image.licenses"]);
        Assert.Equal("true", instance.GetPropertyValue("ContainerGenerateLabels"));
        Assert.Equal("true", instance.GetPropertyValue("ContainerGenerateAnnotations"));
    }

    [Fact]
    public void TheRevisionComesFromGitWhenTheProjectDoesNotSetOne()
    {
        using var project = new EvaluationProject(Console);
        string directory = Path.GetDirectoryName(project.ProjectPath)!;
        Git(directory, "init", "-q", ".");
        Git(directory, "-c", "user.name=MultiArch.Build", "-c", "user.email=dev@multiarch.build", "commit", "-q", "--allow-empty", "-m", "probe");
        string head = Git(directory, "rev-parse", "HEAD").Trim();

        var (ok, instance, errors, warnings) = project.Run("_MultiArchComputeImageMetadata");

        Assert.True(ok, string.Join(Environment.NewLine, errors));
        Assert.Empty(warnings);
        Assert.Equal(40, head.Length);
        Assert.Equal(head, instance.GetItems("_MultiArchGeneratedAnnotation").Single(i => i.EvaluatedInclude == "org.opencontainers.image.revision").GetMetadataValue("Value"));
    }

    private static string Git(string directory, params string[] arguments) => ProcessRunner.RunChecked("git", ["-C", directory, .. arguments]).Output;

    [Theory]
    [InlineData("CreateContainerIndex")]
    [InlineData("InspectContainerImage")]
    public void IndexTargetsArePublicAndNeverPublish(string target)
    {
        using var project = new EvaluationProject(Console);
        var instance = project.Project.CreateProjectInstance();
        Assert.True(instance.Targets.ContainsKey(target));
        string depends = instance.Targets[target].DependsOnTargets;
        Assert.DoesNotContain("Publish", depends);
        Assert.DoesNotContain("Build", depends.Replace("MultiArch.Build", ""));
    }

    [Fact]
    public void CreateContainerIndexWithoutSourcesIsACodedError()
    {
        using var project = new EvaluationProject(Console, globalProperties: new Dictionary<string, string> { ["ContainerRegistry"] = "127.0.0.1:1" });
        var (ok, _, errors, _) = project.Run("CreateContainerIndex");
        Assert.False(ok);
        Assert.StartsWith("MAB4001", Assert.Single(errors));
    }

    [Fact]
    public void CreateContainerIndexWithoutARegistryIsACodedError()
    {
        using var project = new EvaluationProject(Console, globalProperties: new Dictionary<string, string> { ["ContainerIndexSources"] = "sha256:" + new string('a', 64) });
        var (ok, _, errors, _) = project.Run("CreateContainerIndex");
        Assert.False(ok);
        Assert.StartsWith("MAB4007", Assert.Single(errors));
    }

    [Fact]
    public void InspectWithoutAnImageIsACodedError()
    {
        using var project = new EvaluationProject(Console);
        var (ok, _, errors, _) = project.Run("InspectContainerImage");
        Assert.False(ok);
        Assert.StartsWith("MAB4021", Assert.Single(errors));
    }

    [Fact]
    public void PushByDigestReachesTheTask()
    {
        using var project = new EvaluationProject(Console, globalProperties: new Dictionary<string, string> { ["ContainerPushByDigest"] = "true" });
        var instance = project.Project.CreateProjectInstance();
        var task = instance.Targets["_MultiArchCreateImages"].Tasks.Single(t => t.Name == "PublishContainerImages");
        Assert.Equal("$(ContainerPushByDigest)", task.Parameters["PushByDigest"]);
        Assert.Equal("true", instance.GetPropertyValue("ContainerPushByDigest"));
    }
}
