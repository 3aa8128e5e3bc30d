using MultiArch.Build.Diagnostics;
using MultiArch.Build.Runner.Work;
using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Runner;

/// <summary>
/// Runs a request's work, in the build's process or in the runner's, the same way: core <see cref="MabException"/>s
/// become coded errors, any other failure MAB3998 (a file-system failure) or MAB3999 (unexpected) with its message and
/// what to do, never a stack trace (that goes to a low-importance message for -v:diag), and the build's cancel is no
/// error. <see cref="TaskResult.Succeeded"/> is false whenever an error was logged or the work was canceled.
/// </summary>
public static class TaskExecution
{
    private static readonly Dictionary<string, ITaskWork> Works = new(StringComparer.Ordinal)
    {
        ["CheckContainerSettings"] = new CheckContainerSettingsWork(),
        ["ComputeContainerPlatforms"] = new ComputeContainerPlatformsWork(),
        ["ComputeContainerTags"] = new ComputeContainerTagsWork(),
        ["ResolveContainerBaseImages"] = new ResolveContainerBaseImagesWork(),
        ["PublishContainerImages"] = new PublishContainerImagesWork(),
        ["CreateContainerIndex"] = new CreateContainerIndexWork(),
        ["InspectContainerImage"] = new InspectContainerImageWork(),
    };

    public static Task<TaskResult> RunAsync(TaskRequest request, Action<TaskLogEntry>? onLog, CancellationToken cancellationToken) =>
        RunAsync(request, Works.TryGetValue(request.TaskName, out var work) ? work : null, onLog, cancellationToken);

    /// <summary>Runs <paramref name="work"/> for the request (a test's own work, say); null is a task the runner does not know.</summary>
    public static async Task<TaskResult> RunAsync(TaskRequest request, ITaskWork? work, Action<TaskLogEntry>? onLog, CancellationToken cancellationToken)
    {
        var result = new TaskResult(onLog);
        bool stopped = false;
        try
        {
            if (work is null) throw new InvalidOperationException($"The runner has no work for task {request.TaskName}.");
            await work.RunAsync(request, result, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            // A cancel that comes after the work finished changes nothing; one the work stopped for is no success.
            stopped = cancellationToken.IsCancellationRequested;
            AddFailure(result, failure, request.TaskName, cancellationToken);
        }
        result.Succeeded = !result.HasErrors && !stopped;
        return result;
    }

    private static void AddFailure(TaskResult result, Exception failure, string taskName, CancellationToken cancellationToken)
    {
        if (UncodedFailure.IsCancel(failure, cancellationToken))
        {
            result.Add(TaskLogEntry.Message(TaskLogImportance.High, "Canceled; nothing more was sent."));
            return;
        }
        foreach (var coded in UncodedFailure.AllCoded(failure, taskName, "the output of the build run again with -v:diag"))
            result.Add(TaskLogEntry.Error(coded.Code, coded.Message));
        if (failure is not MabException) result.Add(TaskLogEntry.Message(TaskLogImportance.Low, $"{taskName} failed with: {failure}"));
    }
}
