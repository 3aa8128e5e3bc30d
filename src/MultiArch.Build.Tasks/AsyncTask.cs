using Microsoft.Build.Framework;
using MultiArch.Build.Diagnostics;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace MultiArch.Build.Tasks;

/// <summary>
/// The shape every MultiArch.Build task has: <see cref="Execute"/> runs <see cref="ExecuteAsync"/> with a
/// token that MSBuild's cancel (Ctrl+C) trips, turns core <see cref="MabException"/>s into coded errors,
/// and returns false whenever an error was logged. Nothing uncoded reaches MSBuild: any other exception
/// becomes MAB3998 (a file-system failure) or MAB3999 (unexpected) with its message and what to do, never an
/// MSB4018 with a stack trace; the stack trace goes to a low-importance message for -v:diag.
/// </summary>
public abstract class AsyncTask : MSBuildTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    public void Cancel() => _cancellation.Cancel();

    public sealed override bool Execute()
    {
        try
        {
            ExecuteAsync(_cancellation.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            LogFailure(ex);
            return false;
        }
        return !Log.HasLoggedErrors;
    }

    protected abstract Task ExecuteAsync(CancellationToken cancellationToken);

    /// <summary>Logs a failure as coded errors, or as the build's own cancel (which is no error).</summary>
    private void LogFailure(Exception failure)
    {
        switch (failure)
        {
            case AggregateException aggregate:
                foreach (var inner in aggregate.Flatten().InnerExceptions) LogFailure(inner);
                break;
            case MabException coded:
                LogCoded(coded);
                break;
            case OperationCanceledException when _cancellation.IsCancellationRequested:
                Log.LogMessage(MessageImportance.High, "Canceled; nothing more was sent.");
                break;
            default:
                LogCoded(UncodedFailure.ToCoded(failure, GetType().Name, "the output of the build run again with -v:diag"));
                Log.LogMessage(MessageImportance.Low, $"{GetType().Name} failed with: {failure}");
                break;
        }
    }

    protected void LogCoded(MabException ex) =>
        Log.LogError(subcategory: null, errorCode: ex.Code, helpKeyword: null, file: null,
            lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: ex.Message);

    protected void LogCodedWarning(string code, string message) =>
        Log.LogWarning(subcategory: null, warningCode: code, helpKeyword: null, file: null,
            lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: message);
}
