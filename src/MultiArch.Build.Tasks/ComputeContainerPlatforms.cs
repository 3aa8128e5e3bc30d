using Task = System.Threading.Tasks.Task;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tasks;

public sealed partial class ComputeContainerPlatforms : AsyncTask
{
    protected override Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var targets = PlatformSpec.ParseList(Platforms);
        SupportedPlatforms.Require(targets);
        var bases = PlatformBases.Choose(targets, PlatformOverrides.Select(i => (i.ItemSpec, (string?)i.GetMetadata("BaseImage"))), Platforms,
            BaseImage, BaseImageInference.KindOf(IsSelfContained, IsAspNet), TargetFrameworkVersion, ContainerFamily, BaseRegistry);

        PlatformTargets = bases.Select(chosen =>
        {
            var item = new TaskItem(PlatformFormatter.Format(chosen.Target.Platform));
            item.SetMetadata("RuntimeIdentifier", chosen.Target.RuntimeIdentifier);
            item.SetMetadata("BaseImage", chosen.BaseImage);
            if (chosen.Inferred) item.SetMetadata("BaseImageInferred", "true");
            Log.LogMessage(MessageImportance.Normal, $"Platform {item.ItemSpec}: RuntimeIdentifier {chosen.Target.RuntimeIdentifier}, base {chosen.BaseImage}");
            return (ITaskItem)item;
        }).ToArray();
        return Task.CompletedTask;
    }
}
