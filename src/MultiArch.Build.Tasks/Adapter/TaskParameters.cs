using System.Reflection;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Tasks;

/// <summary>
/// A task's parameters to and from the contract, by reflection over the parameters its .Interface.cs declares, so no
/// task copies its parameters by hand and the request always holds every one of them: strings and bools as properties
/// (a bool as "true" or "false"), item arrays as items with their custom metadata. Outputs come back the same way.
/// </summary>
internal static class TaskParameters
{
    public static TaskRequest Read(ContractTask task)
    {
        var request = new TaskRequest(task.GetType().Name);
        foreach (var parameter in Inputs(task.GetType()))
        {
            object? value = parameter.GetValue(task);
            if (parameter.PropertyType == typeof(ITaskItem[]))
                request.Items[parameter.Name] = ((ITaskItem[]?)value ?? []).Select(ToData).ToList();
            else
                request.Properties[parameter.Name] = value switch
                {
                    null => null,
                    bool flag => flag ? "true" : "false",
                    string text => text,
                    _ => throw new NotSupportedException($"{task.GetType().Name}.{parameter.Name} is a {parameter.PropertyType.Name}; the contract carries strings, bools and items."),
                };
        }
        return request;
    }

    /// <summary>Sets the task's outputs from the result; a result output the task does not declare is a mistake in MultiArch.Build.</summary>
    public static void Apply(ContractTask task, TaskResult result)
    {
        var outputs = Outputs(task.GetType()).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var pair in result.Properties)
            Output(outputs, task, pair.Key, typeof(string)).SetValue(task, pair.Value);
        foreach (var pair in result.Items)
            Output(outputs, task, pair.Key, typeof(ITaskItem[])).SetValue(task, pair.Value.Select(ToItem).ToArray());
    }

    /// <summary>The parameters MSBuild sets: public settable properties the task class itself declares.</summary>
    public static IEnumerable<PropertyInfo> Inputs(Type task) =>
        Declared(task).Where(p => p.SetMethod is { IsPublic: true });

    public static IEnumerable<PropertyInfo> Outputs(Type task) =>
        Declared(task).Where(p => p.IsDefined(typeof(OutputAttribute)));

    private static IEnumerable<PropertyInfo> Declared(Type task) =>
        task.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);

    private static PropertyInfo Output(Dictionary<string, PropertyInfo> outputs, ContractTask task, string name, Type type) =>
        outputs.TryGetValue(name, out var property) && property.PropertyType == type
            ? property
            : throw new InvalidOperationException($"The work of {task.GetType().Name} returned {name}, which is no {type.Name} output of the task.");

    private static TaskItemData ToData(ITaskItem item)
    {
        var data = new TaskItemData(item.ItemSpec);
        // One copy of the custom metadata, unescaped (as GetMetadata gives each), instead of a lookup per name after it.
        foreach (System.Collections.DictionaryEntry pair in item.CloneCustomMetadata()) data.Metadata[(string)pair.Key] = (string?)pair.Value ?? "";
        return data;
    }

    private static ITaskItem ToItem(TaskItemData data)
    {
        var item = new TaskItem(data.ItemSpec);
        foreach (var pair in data.Metadata) item.SetMetadata(pair.Key, pair.Value);
        return item;
    }
}
