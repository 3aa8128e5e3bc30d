using System.Text;
using System.Text.Json;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Tool.Tests.Fixtures;

namespace MultiArch.Build.Tool.Tests;

/// <summary>The packed tool, installed with dotnet tool install, against a real registry; skopeo checks what it reads and writes.</summary>
[Collection(ToolCollection.Name)]
public sealed class InstalledToolTests(ToolFixture tool)
{
    [Theory]
    [InlineData("")]
    [InlineData("inspect")]
    [InlineData("index")]
    [InlineData("index create")]
    [InlineData("index append")]
    [InlineData("copy")]
    public async Task EveryVerbHasHelpWithTheExitCodes(string verb)
    {
        var result = await tool.RunAsync([.. verb.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"multiarch {verb}".TrimEnd(), result.Output);
        Assert.Contains("Exit codes:", result.Output);
        Assert.Contains("130  canceled (Ctrl+C)", result.Output);
    }

    [Fact]
    public async Task InspectPrintsTheDigestSkopeoReports()
    {
        string digest = Skopeo.DigestOf(Skopeo.InspectRawBytes(tool.Amd64));

        var result = await tool.RunAsync("inspect", tool.Amd64);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Digest:    {digest}", result.Output);
        Assert.Contains($"linux/amd64  {digest}", result.Output);
    }

    [Fact]
    public async Task InspectRawPrintsTheDocumentExactlyAsTheRegistryServesIt()
    {
        byte[] served = Skopeo.InspectRawBytes(tool.Arm64);

        var result = await tool.RunAsync("inspect", "--raw", tool.Arm64);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Skopeo.DigestOf(served), Skopeo.DigestOf(Encoding.UTF8.GetBytes(result.Output)));
    }

    [Fact]
    public async Task InspectLowersCapitalLettersInTheRepositoryWithTheRepositoryWarning()
    {
        string digest = Skopeo.DigestOf(Skopeo.InspectRawBytes(tool.Amd64));

        var result = await tool.RunAsync("inspect", tool.Amd64.Replace("/tool/amd64", "/Tool/AMD64", StringComparison.Ordinal));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Digest:    {digest}", result.Output);
        Assert.Contains($"warning {ErrorCode.RepositoryNormalized}:", result.Error);
    }

    [Fact]
    public async Task IndexCreateMakesAnIndexOfBothPlatformsUnderEveryTag()
    {
        string target = $"{tool.Registry}/tool/created";

        var result = await tool.RunAsync("index", "create", "--tag", $"{target}:1", "--tag", $"{target}:latest", tool.Amd64, tool.Arm64);

        Assert.True(result.ExitCode == 0, result.ToString());
        string digest = LastLine(result.Output);
        byte[] index = Skopeo.InspectRawBytes($"{target}:1");
        Assert.Equal(digest, Skopeo.DigestOf(index));
        Assert.Equal(digest, Skopeo.DigestOf(Skopeo.InspectRawBytes($"{target}:latest")));
        Assert.Equal(
            [("linux/amd64", ManifestDigest(tool.Amd64)), ("linux/arm64/v8", ManifestDigest(tool.Arm64))],
            Entries(index));
        Assert.Contains($"-> {target}:latest", result.Output);
    }

    [Fact]
    public async Task IndexAppendReplacesOnePlatformAndKeepsTheOther()
    {
        string tag = $"{tool.Registry}/tool/appended:1";
        var created = await tool.RunAsync("index", "create", "--tag", tag, tool.Amd64, tool.Arm64);
        Assert.True(created.ExitCode == 0, created.ToString());

        var result = await tool.RunAsync("index", "append", "-v", "quiet", "--tag", tag, tool.Arm64Again);

        Assert.True(result.ExitCode == 0, result.ToString());
        byte[] index = Skopeo.InspectRawBytes(tag);
        Assert.Equal(Skopeo.DigestOf(index) + "\n", result.Output);
        Assert.Equal(
            [("linux/amd64", ManifestDigest(tool.Amd64)), ("linux/arm64/v8", ManifestDigest(tool.Arm64Again))],
            Entries(index));
    }

    [Fact]
    public async Task ABadReferenceExitsOneWithItsCode()
    {
        var result = await tool.RunAsync("inspect", $"{tool.Registry}/tool/not valid:1");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error {ErrorCode.InvalidImageReference}: ", result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task AnImageThatDoesNotExistExitsOneWithItsCode()
    {
        var result = await tool.RunAsync("inspect", $"{tool.Registry}/tool/absent:1");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error {ErrorCode.InspectImageNotFound}: ", result.Error);
    }

    [Fact]
    public async Task AUsageErrorExitsTwoAndSendsNothing()
    {
        string target = $"{tool.Registry}/tool/never";

        var result = await tool.RunAsync("index", "create", "--tag", $"{target}:1", "--tag", $"{tool.Registry}/tool/other:1", tool.Amd64);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("every --tag must name the same one", result.Error);
        Assert.Null(Skopeo.Tags(target));
    }

    [Fact]
    public async Task CopyTakesAnIndexThroughALayoutAndAnArchiveToAnotherRepositoryWithEveryDigestKept()
    {
        using var temp = new TempFolder("mab-copy");
        string source = $"{tool.Registry}/tool/copied:src";
        var created = await tool.RunAsync("index", "create", "-v", "quiet", "--tag", source, tool.Amd64, tool.Arm64);
        Assert.True(created.ExitCode == 0, created.ToString());
        string digest = LastLine(created.Output);
        string layout = temp.Combine("layout");
        string archive = temp.Combine("image.tar");
        string back = $"{tool.Registry}/tool/copied-back";

        var toLayout = await tool.RunAsync("copy", source, $"oci:{layout}:v1");
        var toArchive = await tool.RunAsync("copy", $"oci:{layout}:v1", $"oci-archive:{archive}");
        var toRegistry = await tool.RunAsync("copy", $"oci-archive:{archive}:v1", back);
        var inspected = await tool.RunAsync("inspect", $"oci:{layout}:v1");

        foreach (var run in new[] { toLayout, toArchive, toRegistry, inspected }) Assert.True(run.ExitCode == 0, run.ToString());
        Assert.All(new[] { toLayout, toArchive, toRegistry }, run => Assert.Equal(digest, LastLine(run.Output)));
        // Other tools read every step the same: skopeo's digest of each copy, and both platforms' manifests unchanged.
        Assert.Equal(digest, Skopeo.DigestOf(RawFromLayout($"oci:{layout}:v1")));
        Assert.Equal(digest, Skopeo.DigestOf(RawFromLayout($"oci-archive:{archive}:v1")));
        byte[] copied = Skopeo.InspectRawBytes($"{back}:v1");
        Assert.Equal(digest, Skopeo.DigestOf(copied));
        Assert.Equal([("linux/amd64", ManifestDigest(tool.Amd64)), ("linux/arm64/v8", ManifestDigest(tool.Arm64))], Entries(copied));
        ProcessRunner.RunChecked("skopeo", "copy", "--all", "--src-tls-verify=false", $"docker://{back}:v1", $"oci:{temp.Combine("check")}:x");
        Assert.Contains($"Digest:    {digest}", inspected.Output);
    }

    [Fact]
    public async Task CopyToADigestIsACodedErrorAndWritesNothing()
    {
        string target = $"{tool.Registry}/tool/copy-refused";

        var result = await tool.RunAsync("copy", tool.Amd64, $"{target}@{ManifestDigest(tool.Amd64)}");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error {ErrorCode.CopyDestinationInvalid}: ", result.Error);
        Assert.Null(Skopeo.Tags(target));
    }

    /// <summary>.NET 10's dnx runs the tool straight from the feed; '--' keeps dnx from taking the tool's own options.</summary>
    [Fact]
    public async Task DnxRunsTheToolFromTheFeed()
    {
        string dnx = Path.Combine(Path.GetDirectoryName(DotnetPath())!, "dnx");
        string digest = Skopeo.DigestOf(Skopeo.InspectRawBytes(tool.Amd64));

        var result = await ProcessRunner.RunAsync(dnx, [$"MultiArch.Build.Tool@{tool.Version}", "--add-source", tool.Feed, "--", "inspect", "-v", "quiet", tool.Amd64],
            environment: tool.ToolInstallEnvironment, timeout: TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Digest:    {digest}", result.Output);
    }

    private static string DotnetPath()
    {
        var dotnet = new FileInfo(ProcessRunner.Find("dotnet"));
        return dotnet.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dotnet.FullName;
    }

    private static byte[] RawFromLayout(string reference) =>
        Encoding.UTF8.GetBytes(ProcessRunner.RunChecked("skopeo", "inspect", "--raw", reference).Output);

    private static string LastLine(string output) => output.TrimEnd('\n').Split('\n')[^1];

    private static string ManifestDigest(string reference) => Skopeo.DigestOf(Skopeo.InspectRawBytes(reference));

    private static (string Platform, string Digest)[] Entries(byte[] index) =>
        JsonDocument.Parse(index).RootElement.GetProperty("manifests").EnumerateArray()
            .Select(m => (Skopeo.PlatformOf(m), m.GetProperty("digest").GetString()!)).ToArray();
}
