namespace MultiArch.Build.Tasks.Contract;

/// <summary>What a line from the runner was.</summary>
public enum RunnerLine
{
    /// <summary>Not a record: something else wrote to the runner's stdout.</summary>
    Other,
    Log,
    Result,
}

/// <summary>
/// The runner's line protocol. The task writes one request line on the runner's stdin and keeps stdin open: closing it
/// is the cancel (and a build that dies closes it too). The runner writes a log line per entry as it happens, then one
/// result line, on stdout. Every line is one JSON object of ASCII (<see cref="ContractJson"/>).
/// </summary>
public static class TaskWire
{
    /// <summary>Raised when the record layout changes, so a task and a runner from different builds refuse each other.</summary>
    public const int Protocol = 1;

    public static string RequestLine(TaskRequest request) => ContractJson.Write(new Dictionary<string, object?>
    {
        ["protocol"] = Protocol,
        ["task"] = request.TaskName,
        ["properties"] = Map(request.Properties),
        ["items"] = Items(request.Items),
    });

    public static TaskRequest ReadRequest(string line)
    {
        var record = Object(ContractJson.Read(line), "request");
        if (record.TryGetValue("protocol", out var protocol) && protocol is long version && version != Protocol)
            throw new FormatException($"The request is of protocol {version}; this runner speaks protocol {Protocol}. The task and runner assemblies come from different MultiArch.Build builds.");
        var request = new TaskRequest(Text(record, "task") ?? throw new FormatException("The request names no task."));
        ReadMap(record, "properties", request.Properties);
        ReadItems(record, "items", request.Items);
        return request;
    }

    public static string LogLine(TaskLogEntry entry) => ContractJson.Write(new Dictionary<string, object?>
    {
        ["log"] = new Dictionary<string, object?>
        {
            ["kind"] = entry.Kind.ToString(),
            ["text"] = entry.Text,
            ["code"] = entry.Code,
            ["importance"] = entry.Importance.ToString(),
            ["file"] = entry.File,
            ["line"] = entry.Line,
            ["column"] = entry.Column,
        },
    });

    /// <summary>The outputs and the outcome; the log went before, line by line.</summary>
    public static string ResultLine(TaskResult result) => ContractJson.Write(new Dictionary<string, object?>
    {
        ["result"] = new Dictionary<string, object?>
        {
            ["succeeded"] = result.Succeeded,
            ["properties"] = Map(result.Properties),
            ["items"] = Items(result.Items),
        },
    });

    /// <summary>Reads one runner line into <paramref name="result"/>: a log entry is added (and passed on), a result sets the outputs.</summary>
    public static RunnerLine ReadRunnerLine(string line, TaskResult result)
    {
        if (!line.StartsWith("{", StringComparison.Ordinal)) return RunnerLine.Other;
        object? parsed;
        try { parsed = ContractJson.Read(line); }
        catch (FormatException) { return RunnerLine.Other; }
        if (parsed is not IDictionary<string, object?> record) return RunnerLine.Other;
        if (record.TryGetValue("log", out var log) && log is IDictionary<string, object?> entry)
        {
            result.Add(new TaskLogEntry(Parse<TaskLogKind>(Text(entry, "kind")), Text(entry, "text") ?? "", Text(entry, "code"), Parse<TaskLogImportance>(Text(entry, "importance")))
            {
                File = Text(entry, "file"),
                Line = (int)Number(entry, "line"),
                Column = (int)Number(entry, "column"),
            });
            return RunnerLine.Log;
        }
        if (record.TryGetValue("result", out var outcome) && outcome is IDictionary<string, object?> outputs)
        {
            result.Succeeded = outputs.TryGetValue("succeeded", out var ok) && ok is true;
            ReadMap(outputs, "properties", result.Properties);
            ReadItems(outputs, "items", result.Items);
            return RunnerLine.Result;
        }
        return RunnerLine.Other;
    }

    private static Dictionary<string, object?> Map(IDictionary<string, string?> values) =>
        values.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);

    private static Dictionary<string, object?> Items(IDictionary<string, IList<TaskItemData>> items) =>
        items.ToDictionary(p => p.Key, p => (object?)p.Value.Select(item => (object?)new Dictionary<string, object?>
        {
            ["spec"] = item.ItemSpec,
            ["metadata"] = item.Metadata.ToDictionary(m => m.Key, m => (object?)m.Value, StringComparer.Ordinal),
        }).ToList(), StringComparer.Ordinal);

    private static void ReadMap(IDictionary<string, object?> record, string name, IDictionary<string, string?> into)
    {
        if (!record.TryGetValue(name, out var value) || value is null) return;
        foreach (var pair in Object(value, name)) into[pair.Key] = pair.Value as string;
    }

    private static void ReadItems(IDictionary<string, object?> record, string name, IDictionary<string, IList<TaskItemData>> into)
    {
        if (!record.TryGetValue(name, out var value) || value is null) return;
        foreach (var pair in Object(value, name))
        {
            var list = pair.Value as IList<object?> ?? throw new FormatException($"Item list {pair.Key} is not an array.");
            into[pair.Key] = list.Select(element =>
            {
                var item = Object(element, pair.Key);
                var metadata = item.TryGetValue("metadata", out var m) && m is IDictionary<string, object?> map
                    ? map.Select(p => new KeyValuePair<string, string>(p.Key, p.Value as string ?? ""))
                    : null;
                return new TaskItemData(Text(item, "spec") ?? "", metadata);
            }).ToList();
        }
    }

    private static IDictionary<string, object?> Object(object? value, string what) =>
        value as IDictionary<string, object?> ?? throw new FormatException($"{what} is not a JSON object.");

    private static string? Text(IDictionary<string, object?> record, string name) =>
        record.TryGetValue(name, out var value) ? value as string : null;

    private static long Number(IDictionary<string, object?> record, string name) =>
        record.TryGetValue(name, out var value) && value is long number ? number : 0;

    private static T Parse<T>(string? text) where T : struct =>
        Enum.TryParse(text, ignoreCase: true, out T value) ? value : default;
}
