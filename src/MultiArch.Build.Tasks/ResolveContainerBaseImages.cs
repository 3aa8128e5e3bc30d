using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;
using MultiArch.Build.Registry;
using MultiArch.Build.Sources;

namespace MultiArch.Build.Tasks;

public sealed partial class ResolveContainerBaseImages : AsyncTask
{
    protected override async System.Threading.Tasks.Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var wanted = Platforms.Select(p => (p.GetMetadata("BaseImage"), PlatformParser.Parse(p.ItemSpec))).ToList();
        using var clients = RegistryClients.ForBuild(InsecureRegistries, new MSBuildLog(Log), Registry);
        var inferred = Platforms.Where(p => p.GetMetadata("BaseImageInferred") == "true").Select(p => p.GetMetadata("BaseImage")).ToHashSet(StringComparer.Ordinal);
        using var sources = new ImageSources(clients.Pull);
        var pins = await BaseImagePins.ResolveAsync(wanted, sources, inferred, cancellationToken).ConfigureAwait(false);

        ResolvedPlatforms = Platforms.Select(platform =>
        {
            var item = new TaskItem(platform);
            if (pins.TryGetValue(platform.GetMetadata("BaseImage"), out var digest))
            {
                item.SetMetadata("BaseImageDigest", digest.ToString());
                Log.LogMessage(MessageImportance.Normal, $"Platform {platform.ItemSpec}: base {platform.GetMetadata("BaseImage")} pinned to {digest}");
            }
            return (ITaskItem)item;
        }).ToArray();
    }
}
