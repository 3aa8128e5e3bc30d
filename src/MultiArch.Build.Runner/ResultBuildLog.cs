using MultiArch.Build.Diagnostics;
using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Runner;

/// <summary>
/// The core's log into the task's result, at the importance MSBuild shows it. `dotnet publish` runs at minimal
/// verbosity, where the console logger prints only high-importance messages, so progress goes out at high importance
/// (the terminal logger prints no message of a running task at minimal or normal verbosity, whatever its importance).
/// </summary>
internal sealed class ResultBuildLog(TaskResult result) : IBuildLog
{
    public void Write(BuildLogLevel level, string message) => result.Add(level switch
    {
        BuildLogLevel.Warning => TaskLogEntry.Warning(null, message),
        BuildLogLevel.Progress => TaskLogEntry.Message(TaskLogImportance.High, message),
        BuildLogLevel.Info => TaskLogEntry.Message(TaskLogImportance.Normal, message),
        _ => TaskLogEntry.Message(TaskLogImportance.Low, message),
    });
}
