namespace MultiArch.Build.Tasks.Contract;

/// <summary>One MSBuild item as the contract carries it: its Include and its custom metadata (names compared as MSBuild compares them).</summary>
public sealed class TaskItemData
{
    public TaskItemData(string itemSpec, IEnumerable<KeyValuePair<string, string>>? metadata = null)
    {
        ItemSpec = itemSpec;
        Metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (metadata is null) return;
        foreach (var pair in metadata) Metadata[pair.Key] = pair.Value;
    }

    public string ItemSpec { get; }

    public IDictionary<string, string> Metadata { get; }

    /// <summary>The value, or "" when the item has no such metadata (as ITaskItem.GetMetadata answers).</summary>
    public string GetMetadata(string name) => Metadata.TryGetValue(name, out var value) ? value : "";

    /// <summary>Sets a value and returns the item, so a work can build its output items in one expression.</summary>
    public TaskItemData With(string name, string value)
    {
        Metadata[name] = value;
        return this;
    }
}
