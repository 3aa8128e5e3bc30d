namespace MultiArch.Build.Tasks.Contract;

/// <summary>
/// A task's outputs: output properties and items by parameter name, and its log in order. Log entries are passed
/// on as they come (<paramref name="onLog"/>), so progress shows while the work runs, in process or not.
/// </summary>
public sealed class TaskResult(Action<TaskLogEntry>? onLog = null)
{
    private readonly List<TaskLogEntry> _log = [];
    private readonly object _gate = new();

    /// <summary>The work ran to its end; false after an error or a cancel.</summary>
    public bool Succeeded { get; set; }

    public IDictionary<string, string?> Properties { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    public IDictionary<string, IList<TaskItemData>> Items { get; } = new Dictionary<string, IList<TaskItemData>>(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<TaskLogEntry> Log
    {
        get { lock (_gate) return _log.ToList(); }
    }

    public bool HasErrors
    {
        get { lock (_gate) return _log.Any(e => e.Kind == TaskLogKind.Error); }
    }

    /// <summary>Adds an entry and passes it on; safe from any thread (the core logs from its upload workers).</summary>
    public void Add(TaskLogEntry entry)
    {
        lock (_gate)
        {
            _log.Add(entry);
            onLog?.Invoke(entry);
        }
    }
}
