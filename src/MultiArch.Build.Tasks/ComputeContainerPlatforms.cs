using Task = System.Threading.Tasks.Task;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tasks;

public sealed partial class ComputeContainerPlatforms : AsyncTask
{
    protected override Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var targets = PlatformSpec.ParseList(Platforms);
        SupportedPlatforms.Require(targets);
        var overrides = ReadOverrides(targets);
        var kind = BaseImageInference.KindOf(IsSelfContained, IsAspNet);

        PlatformTargets = targets.Select(target =>
        {
            string platform = PlatformFormatter.Format(target.Platform);
            bool inferred = !overrides.ContainsKey(platform) && string.IsNullOrWhiteSpace(BaseImage);
            string baseImage = overrides.TryGetValue(platform, out var chosen) ? chosen
                : !inferred ? BaseImage!.Trim()
                : BaseImageInference.Infer(kind, TargetFrameworkVersion, RidPlatformTable.IsMusl(target.RuntimeIdentifier), ContainerFamily, BaseRegistry);
            var item = new TaskItem(platform);
            item.SetMetadata("RuntimeIdentifier", target.RuntimeIdentifier);
            item.SetMetadata("BaseImage", baseImage);
            if (inferred) item.SetMetadata("BaseImageInferred", "true");
            return (ITaskItem)item;
        }).ToArray();

        foreach (var item in PlatformTargets)
            Log.LogMessage(MessageImportance.Normal, $"Platform {item.ItemSpec}: RuntimeIdentifier {item.GetMetadata("RuntimeIdentifier")}, base {item.GetMetadata("BaseImage")}");
        return Task.CompletedTask;
    }

    private Dictionary<string, string> ReadOverrides(IReadOnlyList<PlatformTarget> targets)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in PlatformOverrides)
        {
            var target = PlatformSpec.Parse(item.ItemSpec);
            string platform = PlatformFormatter.Format(target.Platform);
            if (!targets.Any(t => PlatformFormatter.Format(t.Platform) == platform))
                throw new MabException(ErrorCode.PlatformOverrideNotListed,
                    $"The ContainerPlatform item '{item.ItemSpec}' is for {platform}, which ContainerPlatforms ('{Platforms}') does not list. Add it to ContainerPlatforms or remove the item.");
            string baseImage = item.GetMetadata("BaseImage");
            if (!string.IsNullOrWhiteSpace(baseImage)) result[platform] = baseImage.Trim();
        }
        return result;
    }
}
