using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Tasks;

/// <summary>
/// Forwards the core's log to the build log at a matching importance. `dotnet publish` runs at minimal verbosity,
/// where the console logger prints only high-importance messages, so progress goes out at high importance (the
/// terminal logger prints no message of a running task at minimal or normal verbosity, whatever its importance).
/// </summary>
internal sealed class MSBuildLog(TaskLoggingHelper log) : IBuildLog
{
    public void Write(BuildLogLevel level, string message)
    {
        switch (level)
        {
            case BuildLogLevel.Warning: log.LogWarning(message); break;
            case BuildLogLevel.Progress: log.LogMessage(MessageImportance.High, message); break;
            case BuildLogLevel.Info: log.LogMessage(MessageImportance.Normal, message); break;
            default: log.LogMessage(MessageImportance.Low, message); break;
        }
    }
}
