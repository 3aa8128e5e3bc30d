using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;
using MultiArch.Build.Registry;
using MultiArch.Build.Sources;
using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Runner.Work;

/// <summary>ResolveContainerBaseImages: the preflight that reads every base once and pins registry bases by digest (metadata BaseImageDigest).</summary>
internal sealed class ResolveContainerBaseImagesWork : ITaskWork
{
    public async Task RunAsync(TaskRequest request, TaskResult result, CancellationToken cancellationToken)
    {
        var platforms = request.GetItems("Platforms");
        var wanted = platforms.Select(p => (p.GetMetadata("BaseImage"), PlatformParser.Parse(p.ItemSpec))).ToList();
        using var clients = RegistryClients.ForBuild(request.GetString("InsecureRegistries"), new ResultBuildLog(result), request.GetString("Registry"));
        var inferred = platforms.Where(p => p.GetMetadata("BaseImageInferred") == "true").Select(p => p.GetMetadata("BaseImage")).ToHashSet(StringComparer.Ordinal);
        using var sources = new ImageSources(clients.Pull);
        var pins = await BaseImagePins.ResolveAsync(wanted, sources, inferred, cancellationToken).ConfigureAwait(false);

        result.Items["ResolvedPlatforms"] = platforms.Select(platform =>
        {
            var item = new TaskItemData(platform.ItemSpec, platform.Metadata);
            if (pins.TryGetValue(platform.GetMetadata("BaseImage"), out var digest))
            {
                item.With("BaseImageDigest", digest.ToString());
                result.Add(TaskLogEntry.Message(TaskLogImportance.Normal, $"Platform {platform.ItemSpec}: base {platform.GetMetadata("BaseImage")} pinned to {digest}"));
            }
            return item;
        }).ToList();
    }
}
