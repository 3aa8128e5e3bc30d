using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;
using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Runner.Work;

/// <summary>ComputeContainerPlatforms: one item per platform (Include = OCI platform) with its RuntimeIdentifier and BaseImage.</summary>
internal sealed class ComputeContainerPlatformsWork : ITaskWork
{
    public Task RunAsync(TaskRequest request, TaskResult result, CancellationToken cancellationToken)
    {
        string platforms = request.GetString("Platforms") ?? "";
        var targets = PlatformSpec.ParseList(platforms);
        var kind = BaseImageInference.KindOf(request.GetBool("IsSelfContained"), request.GetBool("IsAspNet"));
        var bases = PlatformBases.Choose(targets, request.GetItems("PlatformOverrides").Select(i => (i.ItemSpec, (string?)i.GetMetadata("BaseImage"))), platforms,
            request.GetString("BaseImage"), kind, request.GetString("TargetFrameworkVersion") ?? "", request.GetString("ContainerFamily"), request.GetString("BaseRegistry"));

        result.Items["PlatformTargets"] = bases.Select(chosen =>
        {
            var item = new TaskItemData(PlatformFormatter.Format(chosen.Target.Platform))
                .With("RuntimeIdentifier", chosen.Target.RuntimeIdentifier)
                .With("BaseImage", chosen.BaseImage);
            if (chosen.Inferred) item.With("BaseImageInferred", "true");
            result.Add(TaskLogEntry.Message(TaskLogImportance.Normal, $"Platform {item.ItemSpec}: RuntimeIdentifier {chosen.Target.RuntimeIdentifier}, base {chosen.BaseImage}"));
            return item;
        }).ToList();
        return Task.CompletedTask;
    }
}
