using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Tasks;

/// <summary>
/// The .NET Framework tasks: the core is .NET, so the work always runs in the runner, which the package keeps beside the
/// .NET tasks (tasks/net472/../net8.0/). OutOfProcess changes nothing here.
/// </summary>
public abstract partial class ContractTask
{
    private partial TaskResult Run(TaskRequest request, Action<TaskLogEntry> onLog, CancellationToken cancellationToken) =>
        RunInRunner(Path.GetFullPath(Path.Combine(AssemblyDirectory, "..", "net8.0", RunnerClient.RunnerFileName)), request, onLog, cancellationToken);
}
