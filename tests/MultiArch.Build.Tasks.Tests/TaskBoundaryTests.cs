using System.Diagnostics;
using Microsoft.Build.Framework;
using TaskLoggingHelper = Microsoft.Build.Utilities.TaskLoggingHelper;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;
using MultiArch.Build.Runner;
using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Tasks.Tests;

/// <summary>A task's work that fails the way a test says.</summary>
internal sealed class FailingWork(Func<CancellationToken, Task> behavior) : ITaskWork
{
    public Task RunAsync(TaskRequest request, TaskResult result, CancellationToken cancellationToken) => behavior(cancellationToken);
}

/// <summary>
/// Nothing uncoded reaches MSBuild: every exception a task's work meets becomes a coded error (MAB3998 for the file system,
/// MAB3999 otherwise) whose message has no stack trace, the stack trace goes to a low-importance message, a cancel is
/// no error, and no MSB4018 appears; the entries reach MSBuild's log with their codes, through a recording build engine
/// and through real MSBuild.
/// </summary>
public class TaskBoundaryTests
{
    private static Task Fail(string kind, CancellationTokenSource cancellation) => kind switch
    {
        "coded" => throw new MabException(ErrorCode.RegistryUnreachable, "Could not reach registry r."),
        "disk-full" => Task.FromException(new IOException("No space left on device : '/obj/multiarch/blobs/sha256/.tmp-1'", 28)),
        "denied" => Task.FromException(new UnauthorizedAccessException("Access to the path '/obj/multiarch' is denied.")),
        "http" => Task.FromException(new HttpRequestException("Error while copying content to a stream.", new IOException("Connection reset by peer"))),
        "null" => throw new NullReferenceException(),
        "timeout" => Task.FromException(new TaskCanceledException("The operation was canceled.")),
        "mixed" => Task.FromException(new AggregateException(new MabException(ErrorCode.RegistryDigestMismatch, "Blob corrupt."), new InvalidOperationException("boom"))),
        "cancel" => CancelAndStop(cancellation),
        _ => Task.FromException(new InvalidOperationException("Sequence contains no elements")),
    };

    private static Task CancelAndStop(CancellationTokenSource cancellation)
    {
        cancellation.Cancel();
        return Task.FromCanceled(new CancellationToken(true));
    }

    public static TheoryData<string, string[], string> Faults() => new()
    {
        { "coded", [ErrorCode.RegistryUnreachable], "Could not reach registry r." },
        { "disk-full", [ErrorCode.FileSystemFailure], "The disk is full" },
        { "denied", [ErrorCode.FileSystemFailure], "Permission was denied" },
        { "http", [ErrorCode.UnexpectedFailure], "HttpRequestException: Error while copying content to a stream. (IOException: Connection reset by peer)" },
        { "null", [ErrorCode.UnexpectedFailure], "NullReferenceException" },
        { "timeout", [ErrorCode.UnexpectedFailure], "TaskCanceledException" },
        { "invalid", [ErrorCode.UnexpectedFailure], "InvalidOperationException: Sequence contains no elements. This is a bug in MultiArch.Build" },
        { "mixed", [ErrorCode.RegistryDigestMismatch, ErrorCode.UnexpectedFailure], "boom" },
        { "cancel", [], "" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task EveryFailureBecomesCodedErrorsWithoutAStackTrace(string kind, string[] codes, string text)
    {
        using var cancellation = new CancellationTokenSource();
        var result = await TaskExecution.RunAsync(new TaskRequest("PublishContainerImages"), new FailingWork(_ => Fail(kind, cancellation)), null, cancellation.Token);

        // Through the contract's wire and into MSBuild's log, as the runner's result would come back.
        var engine = new RecordingEngine();
        var log = new TaskLoggingHelper(engine, "PublishContainerImages");
        var received = new TaskResult(entry => TaskLogWriter.Write(log, entry));
        foreach (var entry in result.Log) Assert.Equal(RunnerLine.Log, TaskWire.ReadRunnerLine(TaskWire.LogLine(entry), received));
        Assert.Equal(RunnerLine.Result, TaskWire.ReadRunnerLine(TaskWire.ResultLine(result), received));

        Assert.False(result.Succeeded);
        Assert.False(received.Succeeded);
        Assert.Equal(codes, engine.Errors.Select(e => e.Code));
        Assert.All(engine.Errors, e => Assert.DoesNotContain("   at ", e.Message!));
        if (codes.Length > 0) Assert.Contains(engine.Errors, e => e.Message!.Contains(text, StringComparison.Ordinal));
        if (codes.Contains(ErrorCode.UnexpectedFailure))
        {
            Assert.Contains(engine.Errors, e => e.Message!.Contains("-v:diag", StringComparison.Ordinal));
            Assert.Contains(engine.Messages, m => m.Importance == MessageImportance.Low && m.Message!.Contains("failed with: System.", StringComparison.Ordinal));
        }
        if (kind == "cancel") Assert.Contains(engine.Messages, m => m.Message!.StartsWith("Canceled", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUncodedFailureInARealBuildIsCodedAndNeverMSB4018()
    {
        // The metadata file is written after the image, by the task itself: under a regular file it cannot be.
        using var files = new PublishFiles(appBytes: 1000);
        string blocker = Path.Combine(files.Root, "blocker");
        File.WriteAllText(blocker, "a file");
        using var project = new EvaluationProject(files.PublishTarget(Path.Combine(files.Root, "layout"), metadataFile: Path.Combine(blocker, "metadata.json")));

        var (ok, _, errors, _) = project.Run("PublishIt");

        Assert.False(ok);
        var error = Assert.Single(errors);
        Assert.StartsWith(ErrorCode.FileSystemFailure + ":", error);
        Assert.Contains("Something already stands at that path", error);
        Assert.Contains(blocker, error);
        Assert.DoesNotContain("MSB4018", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void AHostThatDoesNotResolveFailsFastWithItsCode()
    {
        using var project = new EvaluationProject("""<Target Name="Inspect"><InspectContainerImage Image="nosuchhost.invalid/app:1.0" /></Target>""");
        var clock = Stopwatch.StartNew();

        var (ok, _, errors, _) = project.Run("Inspect");

        Assert.False(ok);
        var error = Assert.Single(errors);
        Assert.StartsWith(ErrorCode.RegistryHostNotFound + ":", error);
        Assert.Contains("nosuchhost.invalid", error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}: retried instead of failing fast");
    }

    [Fact]
    public void APublishIntoALayoutUnderAFileIsCoded()
    {
        using var files = new PublishFiles(appBytes: 1000);
        string blocker = Path.Combine(files.Root, "blocker");
        File.WriteAllText(blocker, "a file");
        using var project = new EvaluationProject(files.PublishTarget(Path.Combine(blocker, "layout")));

        var (ok, _, errors, _) = project.Run("PublishIt");

        Assert.False(ok);
        var error = Assert.Single(errors);
        Assert.StartsWith(ErrorCode.LayoutPathUnusable + ":", error);
        Assert.Contains($"'{blocker}' is a file", error);
    }

    [Fact]
    public void APublishIntoAFullDiskIsCodedAndLeavesNothing()
    {
        using var files = new PublishFiles(appBytes: 256 * 1024);
        using var disk = SmallDisk.Mount(Path.Combine(files.Root, "disk"), 64);
        using var project = new EvaluationProject(files.PublishTarget(disk.Combine("layout")));

        var (ok, _, errors, _) = project.Run("PublishIt");

        Assert.False(ok);
        var error = Assert.Single(errors);
        Assert.StartsWith(ErrorCode.LayoutWriteFailed + ":", error);
        Assert.Contains("No space left on device", error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(disk.Path));
    }

    /// <summary>A published app (one file) and a scratch base image in an OCI layout, for a PublishContainerImages call.</summary>
    private sealed class PublishFiles : IDisposable
    {
        public PublishFiles(int appBytes)
        {
            Root = Directory.CreateTempSubdirectory("mab-boundary").FullName;
            Directory.CreateDirectory(Path.Combine(Root, "publish"));
            var app = new byte[appBytes];
            new Random(1).NextBytes(app);
            File.WriteAllBytes(Path.Combine(Root, "publish", "app.dll"), app);
            var store = new BlobStore(Path.Combine(Root, "base-blobs"));
            var config = store.Put(MediaTypes.OciConfig, OciJson.Serialize(new ImageConfig { OS = "linux", Architecture = "amd64", RootFs = new RootFs { DiffIds = [] } }));
            var manifest = new ImageManifest { MediaType = MediaTypes.OciManifest, Config = config, Layers = [] };
            var image = new ImageArtifact(manifest, OciJson.Serialize(manifest), new Platform { OS = "linux", Architecture = "amd64" }, [new BlobContent(config, store)]);
            new OciLayoutDestination(Path.Combine(Root, "base")).WriteImageAsync(image, ["base"], default).GetAwaiter().GetResult();
        }

        public string Root { get; }

        public string PublishTarget(string layoutPath, string metadataFile = "") => $"""
            <ItemGroup>
              <_Platform Include="linux/amd64" RuntimeIdentifier="linux-x64" BaseImage="oci:{Root}/base:base" />
              <_Published Include="{Root}/publish/app.dll" ContainerPlatform="linux/amd64" RelativePath="app.dll" PublishDir="{Root}/publish/" />
            </ItemGroup>
            <Target Name="PublishIt">
              <PublishContainerImages Platforms="@(_Platform)" PublishedFiles="@(_Published)" Repository="app" LayoutPath="{layoutPath}"
                                      BlobCacheDirectory="{Root}/cache" AssemblyName="app" TargetFileName="app.dll" MetadataFile="{metadataFile}" />
            </Target>
            """;

        public void Dispose()
        {
            try { Directory.Delete(Root, recursive: true); }
            catch (IOException) { }
        }
    }
}
