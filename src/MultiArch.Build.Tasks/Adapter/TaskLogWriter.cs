using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Tasks;

/// <summary>A contract log entry into MSBuild's log: errors and warnings with their code, file and position, messages at their importance.</summary>
internal static class TaskLogWriter
{
    public static void Write(TaskLoggingHelper log, TaskLogEntry entry)
    {
        switch (entry.Kind)
        {
            case TaskLogKind.Error:
                log.LogError(subcategory: null, errorCode: entry.Code, helpKeyword: null, file: entry.File,
                    lineNumber: entry.Line, columnNumber: entry.Column, endLineNumber: 0, endColumnNumber: 0, message: entry.Text);
                break;
            case TaskLogKind.Warning:
                log.LogWarning(subcategory: null, warningCode: entry.Code, helpKeyword: null, file: entry.File,
                    lineNumber: entry.Line, columnNumber: entry.Column, endLineNumber: 0, endColumnNumber: 0, message: entry.Text);
                break;
            default:
                log.LogMessage(ImportanceOf(entry.Importance), entry.Text);
                break;
        }
    }

    private static MessageImportance ImportanceOf(TaskLogImportance importance) => importance switch
    {
        TaskLogImportance.High => MessageImportance.High,
        TaskLogImportance.Low => MessageImportance.Low,
        _ => MessageImportance.Normal,
    };
}
