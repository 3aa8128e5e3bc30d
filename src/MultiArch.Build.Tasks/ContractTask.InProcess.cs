using MultiArch.Build.Runner;
using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Tasks;

/// <summary>The .NET tasks: the work runs in MSBuild's own process, or in the runner beside this assembly under MultiArchOutOfProcess.</summary>
public abstract partial class ContractTask
{
    private partial TaskResult Run(TaskRequest request, Action<TaskLogEntry> onLog, CancellationToken cancellationToken) =>
        OutOfProcess
            ? RunInRunner(Path.Combine(AssemblyDirectory, RunnerClient.RunnerFileName), request, onLog, cancellationToken)
            : TaskExecution.RunAsync(request, onLog, cancellationToken).GetAwaiter().GetResult();
}
