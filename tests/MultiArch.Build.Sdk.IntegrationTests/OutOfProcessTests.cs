using System.Text.Json;

namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// The same work through both paths of the one contract: in MSBuild's process, and with -p:MultiArchOutOfProcess=true
/// in the runner (the process the .NET Framework tasks of Visual Studio's MSBuild use). Publish, push by digest, merge
/// with SemVer tags (NuGet.Versioning in the runner), append and inspect give the same digests and the same report.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class OutOfProcessTests(SdkFixture fixture)
{
    private const string Program = """Console.WriteLine("out of process");""";
    private const string OutOfProcess = "MultiArchOutOfProcess=true";
    private static readonly Dictionary<string, string?> NoEnvironment = new();

    [Fact]
    public void PublishMergeAppendAndInspectThroughTheRunnerGiveTheSameDigests()
    {
        using var app = new AppProject(fixture, "OutOfProcess", AppProject.ConsoleProperties("<Version>2.1.0</Version>"), Program);
        string repository = $"{fixture.Registry}/e2e/out-of-process";
        string[] publish = ["ContainerPlatforms=\"linux-x64;linux-arm64\"", $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/out-of-process",
            $"ContainerBaseImage={fixture.RuntimeBase}", "UseAppHost=false"];

        var inProcess = app.Publish([.. publish, "ContainerImageTags=in"]);
        Assert.True(inProcess.ExitCode == 0, inProcess.All);
        // -v:d shows the low-importance line that says where each task's work ran.
        var outOfProcess = app.Publish([.. publish, "ContainerImageTags=out", OutOfProcess, "-v:d"]);
        Assert.True(outOfProcess.ExitCode == 0, outOfProcess.All);
        foreach (var task in new[] { "ComputeContainerPlatforms", "CheckContainerSettings", "ResolveContainerBaseImages", "PublishContainerImages" })
            Assert.Contains($"{task} runs in ", outOfProcess.Output);
        Assert.Contains(RunnerPath, outOfProcess.Output);

        byte[] index = Skopeo.InspectRawBytes(repository + ":in");
        string digest = Skopeo.DigestOf(index);
        Assert.Equal(digest, Skopeo.DigestOf(Skopeo.InspectRawBytes(repository + ":out")));
        Assert.Contains("index " + digest, outOfProcess.Output);
        var entries = JsonDocument.Parse(index).RootElement.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("digest").GetString()!).ToList();

        // Push by digest through the runner: the same amd64 image the one-shot publish made, and its metadata file.
        string metadata = Path.Combine(app.Directory, "amd64.json");
        var byDigest = app.Publish("ContainerPlatforms=linux-x64", $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/out-of-process",
            $"ContainerBaseImage={fixture.RuntimeBase}", "UseAppHost=false", "ContainerPushByDigest=true", $"ContainerMetadataFile={metadata}", OutOfProcess);
        Assert.True(byDigest.ExitCode == 0, byDigest.All);
        var pushed = JsonDocument.Parse(File.ReadAllBytes(metadata)).RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString();
        Assert.Equal(entries[0], pushed);

        // Merge with SemVer tags, then append, each in process and then through the runner: the same index both ways.
        string[] merge = [$"ContainerIndexSources={pushed} {entries[1]}", $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/out-of-process", "ContainerSemVerTags=true"];
        string merged = MergeBothWays(app, repository + ":2.1.0", merge);
        Assert.Equal(["2", "2.1", "2.1.0", "in", "latest", "out"], (Skopeo.Tags(repository) ?? []).Order(StringComparer.Ordinal));
        string[] append = [$"ContainerIndexSources={pushed}", $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/out-of-process", "ContainerImageTags=2.1.0", "ContainerIndexAppend=true"];
        Assert.Equal(merged, MergeBothWays(app, repository + ":2.1.0", append));

        // Inspect prints the same report both ways.
        var inspectIn = app.MSBuild("InspectContainerImage", NoEnvironment, $"ContainerImage={repository}:in");
        var inspectOut = app.MSBuild("InspectContainerImage", NoEnvironment, $"ContainerImage={repository}:in", OutOfProcess);
        Assert.True(inspectIn.ExitCode == 0 && inspectOut.ExitCode == 0, inspectIn.All + inspectOut.All);
        Assert.Equal(Report(inspectIn.Output), Report(inspectOut.Output));
        Assert.Contains("Digest:    " + digest, Report(inspectOut.Output));

        // A coded error keeps its code through the runner.
        var missing = app.MSBuild("InspectContainerImage", NoEnvironment, $"ContainerImage={repository}:no-such-tag", OutOfProcess);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("error MAB4020", missing.Output);
    }

    private string RunnerPath => Path.Combine("multiarch.build", fixture.PackageVersion, "tasks", "net8.0", "MultiArch.Build.Runner.dll");

    /// <summary>Runs CreateContainerIndex in process, then through the runner; both leave <paramref name="reference"/> naming the same index.</summary>
    private static string MergeBothWays(AppProject app, string reference, string[] properties)
    {
        var inProcess = app.MSBuild("CreateContainerIndex", NoEnvironment, properties);
        Assert.True(inProcess.ExitCode == 0, inProcess.All);
        string digest = Skopeo.DigestOf(Skopeo.InspectRawBytes(reference));
        var outOfProcess = app.MSBuild("CreateContainerIndex", NoEnvironment, [.. properties, OutOfProcess]);
        Assert.True(outOfProcess.ExitCode == 0, outOfProcess.All);
        Assert.Equal(digest, Skopeo.DigestOf(Skopeo.InspectRawBytes(reference)));
        Assert.Contains(digest, outOfProcess.Output);
        return digest;
    }

    /// <summary>The inspect report's lines (Digest, MediaType and the platform table), without MSBuild's own lines around them.</summary>
    private static List<string> Report(string output) =>
        output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Digest:", StringComparison.Ordinal) || l.StartsWith("MediaType:", StringComparison.Ordinal)
            || l.StartsWith("linux/", StringComparison.Ordinal)).ToList();
}
