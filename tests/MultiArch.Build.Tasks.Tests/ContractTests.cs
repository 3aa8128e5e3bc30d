using System.Net;
using System.Net.Sockets;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Runner;
using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Tasks.Tests;

/// <summary>
/// The one contract between the tasks and their work: the wire carries every request and result whole, the runner
/// process gives the same result as the work in process, its failures are coded, and a cancel stops it.
/// </summary>
public class ContractTests
{
    private static readonly string Runner = Path.Combine(AppContext.BaseDirectory, RunnerClient.RunnerFileName);

    [Fact]
    public void TheWireCarriesRequestsAndResultsWholeAsOneAsciiLine()
    {
        var request = new TaskRequest("PublishContainerImages");
        request.Properties["Repository"] = "app";
        request.Properties["Registry"] = null;
        request.Properties["Summary"] = "line one\nline \"two\"\ttabbed \\ ünïcødé ✓ 🐳";
        request.Items["Labels"] = [new TaskItemData("url", [new("Value", "https://x;y:z")]), new TaskItemData("empty")];
        request.Items["Ports"] = [];

        string line = TaskWire.RequestLine(request);
        Assert.DoesNotContain('\n', line);
        Assert.All(line, c => Assert.InRange(c, ' ', '~'));
        var back = TaskWire.ReadRequest(line);

        Assert.Equal("PublishContainerImages", back.TaskName);
        Assert.Equal(request.Properties.OrderBy(p => p.Key), back.Properties.OrderBy(p => p.Key));
        Assert.Equal("https://x;y:z", back.GetItems("Labels")[0].GetMetadata("value"));
        Assert.Equal(["url", "empty"], back.GetItems("Labels").Select(i => i.ItemSpec));
        Assert.Empty(back.GetItems("Ports"));
        Assert.Throws<InvalidOperationException>(() => back.GetString("NoSuchParameter"));

        var result = new TaskResult { Succeeded = true };
        result.Properties["IndexDigest"] = "sha256:" + new string('a', 64);
        result.Items["Images"] = [new TaskItemData("linux/arm64/v8").With("Size", "1234")];
        result.Add(new TaskLogEntry(TaskLogKind.Warning, "careful", "MAB3101") { File = "/p/app.csproj", Line = 3, Column = 5 });
        var received = new TaskResult();
        Assert.Equal(RunnerLine.Log, TaskWire.ReadRunnerLine(TaskWire.LogLine(result.Log[0]), received));
        Assert.Equal(RunnerLine.Result, TaskWire.ReadRunnerLine(TaskWire.ResultLine(result), received));
        Assert.Equal(RunnerLine.Other, TaskWire.ReadRunnerLine("Unhandled exception.", received));

        Assert.True(received.Succeeded);
        Assert.Equal(result.Properties, received.Properties);
        Assert.Equal("1234", Assert.Single(received.Items["Images"]).GetMetadata("Size"));
        var warning = Assert.Single(received.Log);
        Assert.Equal((TaskLogKind.Warning, "MAB3101", "careful", "/p/app.csproj", 3, 5), (warning.Kind, warning.Code, warning.Text, warning.File, warning.Line, warning.Column));
    }

    [Fact]
    public async Task TheRunnerGivesTheResultTheWorkGivesInProcess()
    {
        var request = new TaskRequest("ComputeContainerPlatforms");
        request.Properties["Platforms"] = "linux-x64;linux/arm64";
        request.Properties["BaseImage"] = null;
        request.Properties["BaseRegistry"] = "mirror.example";
        request.Properties["ContainerFamily"] = null;
        request.Properties["TargetFrameworkVersion"] = "v10.0";
        request.Properties["IsSelfContained"] = "false";
        request.Properties["IsAspNet"] = "true";
        request.Items["PlatformOverrides"] = [new TaskItemData("linux-arm64", [new("BaseImage", "mirror.example/custom:1")])];

        var inProcess = await TaskExecution.RunAsync(request, null, CancellationToken.None);
        var outOfProcess = RunnerClient.ForEnvironment(Runner, null).Run(request, _ => { }, CancellationToken.None);

        Assert.True(inProcess.Succeeded);
        Assert.Equal(TaskWire.ResultLine(inProcess), TaskWire.ResultLine(outOfProcess));
        Assert.Equal(inProcess.Log.Select(TaskWire.LogLine), outOfProcess.Log.Select(TaskWire.LogLine));
        Assert.Equal(["linux/amd64", "linux/arm64"], outOfProcess.Items["PlatformTargets"].Select(i => i.ItemSpec));
    }

    [Fact]
    public void ACodedFailureInTheRunnerKeepsItsCode()
    {
        var request = new TaskRequest("ComputeContainerTags");
        request.Properties["ImageTags"] = "1.0";
        request.Properties["Version"] = "banana";

        var result = RunnerClient.ForEnvironment(Runner, null).Run(request, _ => { }, CancellationToken.None);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Log, e => e.Kind == TaskLogKind.Error);
        Assert.Equal(ErrorCode.InvalidSemVerVersion, error.Code);
        Assert.Contains("banana", error.Text);
    }

    [Fact]
    public void ARunnerThatCannotStartOrEndsWithoutAResultIsCoded()
    {
        var missing = Assert.Throws<RunnerException>(() => RunnerClient.ForEnvironment("/nonexistent/" + RunnerClient.RunnerFileName, null));
        Assert.Equal(ErrorCode.RunnerNotStarted, missing.Code);

        // A "dotnet" that ends at once, saying why on stderr, as a host with no .NET 8 runtime does.
        using var folder = new TempFolder();
        string fake = Path.Combine(folder.Path, "dotnet");
        File.WriteAllText(fake, "#!/bin/sh\necho 'You must install or update .NET to run this application.' >&2\nexit 150\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var ended = Assert.Throws<RunnerException>(() => new RunnerClient(fake, Runner).Run(new TaskRequest("InspectContainerImage"), _ => { }, CancellationToken.None));
        Assert.Equal(ErrorCode.RunnerEndedWithoutResult, ended.Code);
        Assert.Contains("exit code 150", ended.Message);
        Assert.Contains("You must install or update .NET", ended.Message);
    }

    [Fact]
    public void TheCodesTheContractRaisesAreTheCoresCodes()
    {
        Assert.Equal(ErrorCode.RunnerNotStarted, RunnerException.NotStarted);
        Assert.Equal(ErrorCode.RunnerEndedWithoutResult, RunnerException.EndedWithoutResult);
    }

    [Fact]
    public void DotnetIsTheHostPathFileOrFolderThenNetCoreRootThenPath()
    {
        string exe = DotnetHost.FileName;
        var files = new HashSet<string> { "/sdk/dotnet", Path.Combine("/host", exe), Path.Combine("/root", exe), Path.Combine("/bin2", exe) };
        Assert.Equal("/sdk/dotnet", DotnetHost.Find("/sdk/dotnet", "/root", "/bin2", files.Contains));
        Assert.Equal(Path.Combine("/host", exe), DotnetHost.Find("/host", "/root", "/bin2", files.Contains));
        Assert.Equal(Path.Combine("/root", exe), DotnetHost.Find("/nothing", "/root", "/bin2", files.Contains));
        Assert.Equal(Path.Combine("/bin2", exe), DotnetHost.Find(null, "", $"/bin1{Path.PathSeparator}/bin2", files.Contains));
        Assert.Null(DotnetHost.Find(null, null, "/bin1", files.Contains));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ACancelStopsTheWorkInProcessAndInTheRunner(bool outOfProcess)
    {
        // A registry that accepts connections and never answers: only the cancel ends the inspect.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            try { while (true) held.Add(await silent.AcceptTcpClientAsync()); }
            catch (ObjectDisposedException) { }
            catch (SocketException) { }
        });
        var engine = new RecordingEngine();
        var task = new InspectContainerImage
        {
            BuildEngine = engine,
            Image = $"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/app:1.0",
            OutOfProcess = outOfProcess,
        };

        var execute = Task.Run(task.Execute);
        await Task.Delay(TimeSpan.FromSeconds(outOfProcess ? 3 : 1));
        Assert.False(execute.IsCompleted, string.Join(Environment.NewLine, engine.Lines));
        task.Cancel();

        Assert.Same(execute, await Task.WhenAny(execute, Task.Delay(TimeSpan.FromSeconds(20))));
        Assert.False(await execute);
        Assert.Empty(engine.Errors);
        Assert.Contains(engine.Lines, l => l.StartsWith("Canceled; nothing more was sent.", StringComparison.Ordinal));
        foreach (var client in held) client.Dispose();
    }
}
