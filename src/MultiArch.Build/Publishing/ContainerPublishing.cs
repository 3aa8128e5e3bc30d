using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Layers;
using MultiArch.Build.Layout;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Push;
using MultiArch.Build.Sources;

namespace MultiArch.Build.Publishing;

/// <summary>
/// The one call a host (the MSBuild task, a test) makes: wires the registry clients, image sources,
/// layer writer and destination for a request, and runs the publish.
/// </summary>
public static class ContainerPublishing
{
    public static Task<ContainerPublishResult> RunAsync(ContainerPublishRequest request, IBuildLog log, string? insecureRegistries, CancellationToken cancellationToken) =>
        RunAsync(request, log, insecureRegistries, UserLayerCache.FromEnvironment(), cancellationToken);

    /// <param name="userCache">The user's layer cache (<see cref="UserLayerCache.FromEnvironment"/>), or null for none.</param>
    public static async Task<ContainerPublishResult> RunAsync(ContainerPublishRequest request, IBuildLog log, string? insecureRegistries, UserLayerCache? userCache, CancellationToken cancellationToken)
    {
        using var clients = RegistryClients.ForBuild(insecureRegistries, log, request.Destination.Registry);

        using var bases = new ImageSources(clients.Pull);
        // Open until the images are written: a layer found in the destination is read back from it if the destination lost it.
        using var destinationImages = new ImageSources(clients.Push);
        var destination = CreateDestination(request.Destination, clients.Push, log);
        var blobCache = new BlobStore(request.BlobCacheDirectory);
        var layerCache = string.IsNullOrWhiteSpace(request.LayerCacheDirectory) ? null : new LayerCache(request.LayerCacheDirectory, blobCache);
        var reuse = LayerReuse.For(request.Destination, destinationImages, clients.Push, userCache, log);
        var factory = new PlatformImageFactory(blobCache, request.LayerStrategy, new LayerWriter(new LayerWriterOptions { Compression = request.LayerCompression }), layerCache, log, reuse);
        var publisher = new ContainerPublisher(bases, destination, factory, log);
        var result = await publisher.PublishAsync(request, cancellationToken).ConfigureAwait(false);
        int pruned = layerCache?.Prune(LayerCache.DefaultRetention) ?? 0;
        if (pruned > 0) log.Write(BuildLogLevel.Info, $"Pruned {pruned} layer(s) unused for {LayerCache.DefaultRetention.TotalDays} days from {layerCache!.Directory}");
        int prunedShared = userCache?.Prune(LayerCache.DefaultRetention) ?? 0;
        if (prunedShared > 0) log.Write(BuildLogLevel.Info, $"Pruned {prunedShared} layer(s) from the user layer cache {userCache!.Root}");
        return result;
    }

    internal static IImageDestination CreateDestination(ImageDestinationSpec spec, RegistryClient client, IBuildLog log)
    {
        if (!string.IsNullOrEmpty(spec.Registry))
            return new RegistryDestination(client, ImageReference.Parse($"{spec.Registry}/{spec.Repository}"), new BlobProgressLog(log));
        string? imageName = LoadedImageName.For(spec.Repository);
        if (!string.IsNullOrEmpty(spec.ArchivePath))
            return new OciArchiveDestination(spec.ArchivePath, imageName);
        return new OciLayoutDestination(spec.LayoutPath ?? throw new ArgumentException("A destination needs a registry, a layout path or an archive path."), imageName);
    }
}
