namespace MultiArch.Build.Tasks.Tests;

/// <summary>
/// Bad input a user can give, each through the package's real targets and tasks: every one is a coded error
/// that names what is wrong, and the publish ones fail in the preflight, before any platform is restored,
/// compiled or published (so nothing can be pushed).
/// </summary>
public class BadInputTableTests
{
    private const string App = "<PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Version>1.0.0</Version></PropertyGroup>";

    /// <summary>A case: extra project XML, global properties as "Name=Value", the code expected and the words its message must hold.</summary>
    public static TheoryData<string, string, string[], string, string[]> Publish => new()
    {
        { "unknown RID", "", ["ContainerPlatforms=linux-x64;osx-arm64"], "MAB1102", ["osx-arm64", "linux-arm64"] },
        { "not a platform", "", ["ContainerPlatforms=linux/"], "MAB1101", ["linux/"] },
        { "a platform twice", "", ["ContainerPlatforms=linux-x64;linux/amd64"], "MAB1104", ["linux/amd64"] },
        { "two Windows versions, one RID", "", ["ContainerPlatforms=windows(10.0.17763)/amd64;windows(10.0.20348)/amd64"], "MAB1104", ["win-x64", "windows(10.0.20348)/amd64"] },
        { "override for an unlisted platform", """<ItemGroup><ContainerPlatform Include="linux-arm64" BaseImage="r/x:1" /></ItemGroup>""", [], "MAB3007", ["linux/arm64"] },
        { "tag starting with -", "", ["ContainerImageTags=1.0;-bad"], "MAB3004", ["-bad"] },
        { "tag with a colon", "", ["ContainerImageTags=v1:2"], "MAB3004", ["v1:2"] },
        { "tag of 129 characters", "", ["ContainerImageTags=" + new string('t', 129)], "MAB3004", ["1-128"] },
        { "repository of slashes", "", ["ContainerRepository=///"], "MAB3003", ["///"] },
        { "image format", "", ["ContainerImageFormat=Zip"], "MAB3010", ["Zip"] },
        { "layer strategy", "", ["ContainerLayerStrategy=Layered"], "MAB1250", ["Layered"] },
        { "layer compression", "", ["ContainerLayerCompression=brotli"], "MAB1251", ["brotli"] },
        { "zstd in a Docker image", "", ["ContainerLayerCompression=zstd", "ContainerImageFormat=Docker"], "MAB1252", ["zstd"] },
        { "app command instruction", "", ["ContainerAppCommandInstruction=Cmd"], "MAB3012", ["Cmd"] },
        { "SBOM storage", "", ["ContainerSbomStorage=attestations"], "MAB1320", ["attestations"] },
        { "SBOM in the index of a Docker image", "", ["ContainerGenerateSbom=true", "ContainerSbomStorage=index", "ContainerImageFormat=Docker"], "MAB1321", ["Docker"] },
        { "SBOM in the index with push by digest", "", ["ContainerGenerateSbom=true", "ContainerSbomStorage=index", "ContainerPushByDigest=true"], "MAB1322", ["ContainerPushByDigest"] },
        { "registry with a space", "", ["ContainerRegistry=my registry"], "MAB2001", ["my registry"] },
        { "registry with a scheme", "", ["ContainerRegistry=https://reg.example"], "MAB2001", ["https://reg.example"] },
        { "base image reference", "", ["ContainerBaseImage=Bad Image!"], "MAB2001", ["Bad Image!"] },
        { "port out of range", """<ItemGroup><ContainerPort Include="99999" /></ItemGroup>""", [], "MAB1301", ["99999"] },
        { "port of no number", """<ItemGroup><ContainerPort Include="http" /></ItemGroup>""", [], "MAB1301", ["http"] },
        { "port protocol", """<ItemGroup><ContainerPort Include="53" Type="quic" /></ItemGroup>""", [], "MAB1301", ["quic"] },
        { "variable name with =", """<ItemGroup><ContainerEnvironmentVariable Include="A=B" Value="c" /></ItemGroup>""", [], "MAB1302", ["A=B"] },
        { "entrypoint args with no entrypoint", """<ItemGroup><ContainerEntrypointArgs Include="--x" /><ContainerDefaultArgs Include="y" /></ItemGroup>""", [], "MAB3013", ["ContainerEntrypointArgs"] },
        { "entrypoint against Entrypoint instruction", """<ItemGroup><ContainerEntrypoint Include="/bin/sh" /></ItemGroup>""", ["ContainerAppCommandInstruction=Entrypoint"], "MAB3013", ["ContainerEntrypoint"] },
        { "app command against None", """<ItemGroup><ContainerAppCommand Include="/app/run" /></ItemGroup>""", ["ContainerAppCommandInstruction=None"], "MAB3013", ["None"] },
        { "SemVer tags of no version", "", ["ContainerSemVerTags=true", "Version=banana"], "MAB4010", ["banana"] },
        { "SemVer tag too long", "", ["ContainerSemVerTags=true", "Version=1.0.0-" + new string('p', 130)], "MAB4011", ["1.0.0-p"] },
        { "a library", "", ["ContainerPlatforms=linux-x64", "OutputType=Library"], "MAB3001", ["Library"] },
        { "variable with no name", """<ItemGroup><ContainerEnvironmentVariable Include="=x" Value="c" /></ItemGroup>""", [], "MAB1302", ["=x"] },
        { "platform no RuntimeIdentifier publishes for", "", ["ContainerPlatforms=linux/arm64/v99"], "MAB1103", ["linux/arm64/v99"] },
    };

    [Theory]
    [MemberData(nameof(Publish))]
    public void PublishInputFailsInThePreflightWithItsCode(string what, string body, string[] properties, string code, string[] mentions)
    {
        var globals = new Dictionary<string, string>
        {
            ["ContainerPlatforms"] = "linux-x64",
            // A layout base: the preflight reads no registry, so only the input under test can fail.
            ["ContainerBaseImage"] = "oci:/nonexistent/layout:1",
        };
        foreach (string property in properties)
        {
            int equals = property.IndexOf('=');
            globals[property[..equals]] = property[(equals + 1)..];
        }
        using var project = new EvaluationProject(App + body, globalProperties: globals);
        var (ok, instance, errors, _) = project.Run("_MultiArchValidateProject", "_MultiArchComputeContainerConfig", "_MultiArchResolveBaseImages");

        Assert.False(ok, what);
        Assert.Contains(errors, e => e.StartsWith(code + ":", StringComparison.Ordinal) && mentions.All(m => e.Contains(m, StringComparison.Ordinal)));
        Assert.Single(errors);
        Assert.DoesNotContain(errors, e => e.StartsWith("MSB", StringComparison.Ordinal));
        Assert.Empty(instance.GetItems("_MultiArchPublishedFile"));
    }

    [Theory]
    [InlineData("CreateContainerIndex", new[] { "ContainerRepository=app", "ContainerIndexSources=sha256:" + "0000000000000000000000000000000000000000000000000000000000000000" }, "MAB4007", "ContainerRegistry")]
    [InlineData("CreateContainerIndex", new[] { "ContainerRegistry=reg.example", "ContainerRepository=app" }, "MAB4001", "ContainerIndexSources")]
    [InlineData("CreateContainerIndex", new[] { "ContainerRegistry=reg.example", "ContainerRepository=app", "ContainerIndexSources=not//a@source" }, "MAB4002", "not//a@source")]
    [InlineData("InspectContainerImage", new string[0], "MAB4021", "ContainerImage")]
    [InlineData("InspectContainerImage", new[] { "ContainerImage=Not An Image" }, "MAB2001", "Not An Image")]
    public void IndexToolInputIsACodedError(string target, string[] properties, string code, string mentions)
    {
        var globals = properties.ToDictionary(p => p[..p.IndexOf('=')], p => p[(p.IndexOf('=') + 1)..]);
        using var project = new EvaluationProject(App, globalProperties: globals);
        var (ok, _, errors, _) = project.Run(target);

        Assert.False(ok);
        Assert.Contains(errors, e => e.StartsWith(code + ":", StringComparison.Ordinal) && e.Contains(mentions, StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.StartsWith("MSB", StringComparison.Ordinal));
    }
}
