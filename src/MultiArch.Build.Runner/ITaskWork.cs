using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Runner;

/// <summary>
/// What one task does, with no MSBuild type in sight: it reads its parameters from the request, calls the core, and
/// writes its outputs and log into the result. Failures are thrown; <see cref="TaskExecution"/> codes them.
/// </summary>
public interface ITaskWork
{
    Task RunAsync(TaskRequest request, TaskResult result, CancellationToken cancellationToken);
}
