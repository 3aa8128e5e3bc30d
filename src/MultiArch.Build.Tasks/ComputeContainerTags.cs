using Task = System.Threading.Tasks.Task;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace MultiArch.Build.Tasks;

public sealed partial class ComputeContainerTags : AsyncTask
{
    protected override Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var given = string.IsNullOrWhiteSpace(ImageTags) ? [] : Publishing.ImageTags.ParseList(ImageTags);
        var tags = given.Concat(Tasks.SemVerTags.Expand(Version));
        Tags = tags.Distinct(StringComparer.Ordinal).Select(t => (ITaskItem)new TaskItem(t)).ToArray();
        Log.LogMessage(MessageImportance.Normal, $"Container tags: {string.Join(", ", Tags.Select(t => t.ItemSpec))}");
        return Task.CompletedTask;
    }
}
