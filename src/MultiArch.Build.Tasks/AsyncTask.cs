using Microsoft.Build.Framework;
using MultiArch.Build.Diagnostics;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace MultiArch.Build.Tasks;

/// <summary>
/// The shape every MultiArch.Build task has: <see cref="Execute"/> runs <see cref="ExecuteAsync"/> with a
/// token that MSBuild's cancel (Ctrl+C) trips, turns core <see cref="MabException"/>s into coded errors,
/// and returns false whenever an error was logged.
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
        catch (MabException ex)
        {
            LogCoded(ex);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            Log.LogMessage(MessageImportance.High, "Canceled; nothing more was sent.");
            return false;
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is MabException))
        {
            foreach (var inner in ex.InnerExceptions) LogCoded((MabException)inner);
        }
        return !Log.HasLoggedErrors;
    }

    protected abstract Task ExecuteAsync(CancellationToken cancellationToken);

    protected void LogCoded(MabException ex) =>
        Log.LogError(subcategory: null, errorCode: ex.Code, helpKeyword: null, file: null,
            lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: ex.Message);

    protected void LogCodedWarning(string code, string message) =>
        Log.LogWarning(subcategory: null, warningCode: code, helpKeyword: null, file: null,
            lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: message);
}
