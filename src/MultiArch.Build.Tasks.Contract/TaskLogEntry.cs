namespace MultiArch.Build.Tasks.Contract;

/// <summary>What a log entry is to MSBuild.</summary>
public enum TaskLogKind
{
    Message,
    Warning,
    Error,
}

/// <summary>MSBuild's message importance, by the same names, so the contract needs no MSBuild reference.</summary>
public enum TaskLogImportance
{
    High,
    Normal,
    Low,
}

/// <summary>
/// One line of a task's log, with everything MSBuild records of it: the MABnnnn code of a warning or an error, the
/// file and position it points at (none for most), and the importance of a message.
/// </summary>
public sealed class TaskLogEntry
{
    public TaskLogEntry(TaskLogKind kind, string text, string? code = null, TaskLogImportance importance = TaskLogImportance.Normal)
    {
        Kind = kind;
        Text = text;
        Code = code;
        Importance = importance;
    }

    public TaskLogKind Kind { get; }
    public string Text { get; }
    public string? Code { get; }
    public TaskLogImportance Importance { get; }
    public string? File { get; set; }
    public int Line { get; set; }
    public int Column { get; set; }

    public static TaskLogEntry Error(string code, string text) => new(TaskLogKind.Error, text, code);

    public static TaskLogEntry Warning(string? code, string text) => new(TaskLogKind.Warning, text, code);

    public static TaskLogEntry Message(TaskLogImportance importance, string text) => new(TaskLogKind.Message, text, importance: importance);

    public override string ToString() => Kind == TaskLogKind.Message ? Text : $"{Kind.ToString().ToLowerInvariant()} {Code}: {Text}";
}
