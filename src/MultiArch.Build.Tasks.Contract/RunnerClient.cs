using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace MultiArch.Build.Tasks.Contract;

/// <summary>
/// Runs a task's work in the runner, a .NET process started with <c>dotnet</c>: the request goes on stdin, the log
/// comes back line by line as it happens, then the result. The child inherits the build's environment, which is where
/// registry credentials come from; nothing secret is ever on its command line. A cancel closes the child's stdin (the
/// runner cancels its work and reports) and kills it if it has not ended after <see cref="CancelGrace"/>.
/// </summary>
public sealed class RunnerClient(string dotnet, string runnerPath)
{
    /// <summary>The runner assembly's file name, beside the .NET task assemblies.</summary>
    public const string RunnerFileName = "MultiArch.Build.Runner.dll";

    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(10);

    /// <summary>A client for the dotnet the environment names (<see cref="DotnetHost"/>); a coded failure when none is found.</summary>
    public static RunnerClient ForEnvironment(string runnerPath, string? netCoreRoot)
    {
        if (!File.Exists(runnerPath))
            throw new RunnerException(RunnerException.NotStarted,
                $"The MultiArch.Build runner is missing at {runnerPath}. Restore the MultiArch.Build package again (delete it from the NuGet package folder if it was changed).");
        string? dotnet = DotnetHost.Find(netCoreRoot);
        if (dotnet is null)
            throw new RunnerException(RunnerException.NotStarted,
                "MultiArch.Build runs its work in .NET (8 or later) and found no dotnet: not in DOTNET_HOST_PATH, $(NetCoreRoot) or PATH. Install the .NET SDK, or set DOTNET_HOST_PATH to the dotnet executable.");
        return new RunnerClient(dotnet, runnerPath);
    }

    public TaskResult Run(TaskRequest request, Action<TaskLogEntry> onLog, CancellationToken cancellationToken)
    {
        using var process = Start();
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errors) errors.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();

        // Written as bytes: .NET Framework's StandardInput speaks the console's code page, the wire is ASCII JSON.
        var input = new StreamWriter(process.StandardInput.BaseStream, new UTF8Encoding(false)) { NewLine = "\n" };
        try
        {
            input.WriteLine(TaskWire.RequestLine(request));
            input.Flush();
        }
        catch (IOException)
        {
            // The runner is gone already; its exit code and stderr say why.
        }

        var result = new TaskResult(onLog);
        bool reported = false;
        using (cancellationToken.Register(() => Stop(process, input)))
        {
            string? line;
            while ((line = process.StandardOutput.ReadLine()) is not null)
            {
                switch (TaskWire.ReadRunnerLine(line, result))
                {
                    case RunnerLine.Result: reported = true; break;
                    case RunnerLine.Other: result.Add(TaskLogEntry.Message(TaskLogImportance.Low, line)); break;
                }
            }
            process.WaitForExit();
        }
        string stderr;
        lock (errors) stderr = errors.ToString().Trim();

        if (reported)
        {
            if (stderr.Length > 0) result.Add(TaskLogEntry.Message(TaskLogImportance.Low, stderr));
            return result;
        }
        if (cancellationToken.IsCancellationRequested)
        {
            result.Add(TaskLogEntry.Message(TaskLogImportance.High, "Canceled; the runner was stopped."));
            result.Succeeded = false;
            return result;
        }
        throw new RunnerException(RunnerException.EndedWithoutResult,
            $"The MultiArch.Build runner ended with exit code {process.ExitCode} before it reported a result ({dotnet} {runnerPath}). " +
            $"It needs a .NET 8 or later runtime: install one, or point DOTNET_HOST_PATH at a dotnet that has one.{(stderr.Length > 0 ? " It wrote: " + stderr : "")}");
    }

    private Process Start()
    {
        var start = new ProcessStartInfo(dotnet, "\"" + runnerPath + "\"")
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            // Relative paths in the request mean what they mean to the task: MSBuild runs it in the project's folder.
            WorkingDirectory = Directory.GetCurrentDirectory(),
        };
        try
        {
            return Process.Start(start) ?? throw new RunnerException(RunnerException.NotStarted, $"{dotnet} did not start.");
        }
        catch (Win32Exception failure)
        {
            throw new RunnerException(RunnerException.NotStarted, $"Could not start {dotnet} to run the MultiArch.Build runner: {failure.Message}. Set DOTNET_HOST_PATH to a working dotnet executable.");
        }
    }

    /// <summary>Closing stdin is the runner's cancel; a runner that does not end within the grace period is killed.</summary>
    private void Stop(Process process, StreamWriter input)
    {
        try { input.Dispose(); }
        catch (IOException) { }
        _ = Task.Delay(CancelGrace).ContinueWith(_ =>
        {
            try
            {
                if (!process.HasExited) process.Kill();
            }
            catch (InvalidOperationException) { }
            catch (Win32Exception) { }
        }, TaskScheduler.Default);
    }
}
