using Microsoft.Build.Framework;
using MultiArch.Build.Tasks.Contract;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace MultiArch.Build.Tasks;

/// <summary>
/// The shape every MultiArch.Build task has, in the .NET and the .NET Framework task assemblies alike: its parameters
/// become one <see cref="TaskRequest"/>, the work runs (in process, or in the runner), and the <see cref="TaskResult"/>
/// comes back as output parameters and log entries with their MABnnnn codes, logged as they happen. MSBuild's cancel
/// (Ctrl+C) cancels the work, or stops the runner. A task returns false whenever an error was logged or it was canceled.
/// </summary>
public abstract partial class ContractTask : MSBuildTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>MultiArchOutOfProcess: the work runs in the runner process even where MSBuild could run it in process.</summary>
    public bool OutOfProcess { get; set; }

    /// <summary>The SDK's $(NetCoreRoot): where dotnet is looked for after DOTNET_HOST_PATH, before PATH.</summary>
    public string? NetCoreRoot { get; set; }

    public void Cancel() => _cancellation.Cancel();

    public sealed override bool Execute()
    {
        var request = TaskParameters.Read(this);
        TaskResult result;
        try
        {
            result = Run(request, entry => TaskLogWriter.Write(Log, entry), _cancellation.Token);
        }
        catch (RunnerException failure)
        {
            TaskLogWriter.Write(Log, TaskLogEntry.Error(failure.Code, failure.Message));
            return false;
        }
        if (result.Succeeded) TaskParameters.Apply(this, result);
        return result.Succeeded && !Log.HasLoggedErrors;
    }

    /// <summary>Runs the request where this assembly's MSBuild wants it: in process, or in the runner.</summary>
    private partial TaskResult Run(TaskRequest request, Action<TaskLogEntry> onLog, CancellationToken cancellationToken);

    private TaskResult RunInRunner(string runnerPath, TaskRequest request, Action<TaskLogEntry> onLog, CancellationToken cancellationToken)
    {
        Log.LogMessage(MessageImportance.Low, $"{request.TaskName} runs in {runnerPath}.");
        return RunnerClient.ForEnvironment(runnerPath, NetCoreRoot).Run(request, onLog, cancellationToken);
    }

    /// <summary>The folder this task assembly was loaded from.</summary>
    private static string AssemblyDirectory => Path.GetDirectoryName(typeof(ContractTask).Assembly.Location)!;
}
