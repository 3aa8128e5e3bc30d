namespace MultiArch.Build.Tasks.Contract;

/// <summary>
/// A task's inputs: every scalar parameter by name (null when MSBuild passed nothing) and every item parameter
/// (empty when none). The MSBuild side fills in every parameter the task declares, so asking for a name the task
/// does not have is a mistake in MultiArch.Build, reported at once instead of read as empty.
/// </summary>
public sealed class TaskRequest
{
    public TaskRequest(string taskName)
    {
        TaskName = taskName;
    }

    /// <summary>The task's class name, e.g. PublishContainerImages: which work the runner does.</summary>
    public string TaskName { get; }

    public IDictionary<string, string?> Properties { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    public IDictionary<string, IList<TaskItemData>> Items { get; } = new Dictionary<string, IList<TaskItemData>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The value as MSBuild gave it, or null.</summary>
    public string? GetString(string name) =>
        Properties.TryGetValue(name, out var value) ? value : throw Undeclared(name);

    /// <summary>A bool parameter: "true" in any case is true, anything else false (as the task's bool property had it).</summary>
    public bool GetBool(string name) => string.Equals(GetString(name), "true", StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<TaskItemData> GetItems(string name) =>
        Items.TryGetValue(name, out var items) ? items.ToList() : throw Undeclared(name);

    private InvalidOperationException Undeclared(string name) =>
        new($"The task {TaskName} has no parameter {name}.");
}
