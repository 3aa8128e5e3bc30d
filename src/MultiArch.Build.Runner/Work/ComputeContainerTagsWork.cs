using MultiArch.Build.Publishing;
using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Runner.Work;

/// <summary>ComputeContainerTags: ContainerImageTags followed by the tags the project's Version expands to, duplicates removed.</summary>
internal sealed class ComputeContainerTagsWork : ITaskWork
{
    public Task RunAsync(TaskRequest request, TaskResult result, CancellationToken cancellationToken)
    {
        string? given = request.GetString("ImageTags");
        var tags = (string.IsNullOrWhiteSpace(given) ? [] : ImageTags.ParseList(given)).Concat(SemVerTags.Expand(request.GetString("Version")))
            .Distinct(StringComparer.Ordinal).ToList();
        result.Items["Tags"] = tags.Select(t => new TaskItemData(t)).ToList();
        result.Add(TaskLogEntry.Message(TaskLogImportance.Normal, $"Container tags: {string.Join(", ", tags)}"));
        return Task.CompletedTask;
    }
}
