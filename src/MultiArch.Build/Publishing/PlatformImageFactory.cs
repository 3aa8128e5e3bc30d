using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Layers;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Builds one platform's image: plans the publish output into layers, writes them (streaming, into the
/// blob cache, or takes them from the layer cache when their inputs are unchanged) and applies them
/// with the config edits to that platform's base.
/// </summary>
public sealed class PlatformImageFactory
{
    private readonly BlobStore _blobCache;
    private readonly LayerStrategy _strategy;
    private readonly LayerWriter _writer;
    private readonly LayerCache? _layerCache;
    private readonly IBuildLog? _log;

    /// <summary>Plans each platform by <paramref name="strategy"/> from its published files; reuses layers from <paramref name="layerCache"/> when given.</summary>
    public PlatformImageFactory(BlobStore blobCache, LayerStrategy strategy, LayerWriter writer, LayerCache? layerCache = null, IBuildLog? log = null)
    {
        _blobCache = blobCache;
        _strategy = strategy;
        _writer = writer;
        _layerCache = layerCache;
        _log = log;
    }

    private static ILayerPlanner PlannerFor(LayerStrategy strategy, PublishedPlatform platform, string imageRoot) => strategy switch
    {
        LayerStrategy.Single => new SingleLayerPlanner(),
        _ => new SplitLayerPlanner(PublishLayerClassifier.Classify(platform, imageRoot)),
    };

    public async Task<ImageArtifact> BuildAsync(ContainerPublishRequest request, PublishedPlatform platform, BaseImage baseImage, CancellationToken cancellationToken)
    {
        // The image's family: forced, or the base's. Checked before any layer is written: a Docker image cannot hold zstd layers.
        var family = request.Format ?? MediaTypes.FamilyOf(baseImage.ManifestMediaType);
        LayerCompressions.EnsureSupportedBy(request.LayerCompression, family);
        var entries = PublishLayerSource.EntriesFor(platform, request.WorkingDirectory);
        var plan = PlannerFor(_strategy, platform, PublishLayerSource.ImageRootOf(request.WorkingDirectory)).Plan(entries);
        var layers = new List<NewLayer>();
        foreach (var planned in plan.Layers)
        {
            var written = await WriteAsync(planned, platform, cancellationToken).ConfigureAwait(false);
            layers.Add(new NewLayer(written.Descriptor, written.DiffId, _blobCache,
                CreatedBy: $"MultiArch.Build: {planned.Name} layer of {platform.Target.RuntimeIdentifier} publish",
                Comment: "multiarch.build." + planned.Name));
        }
        return ImageBuilder.Build(baseImage, layers, EditsFor(request, baseImage, family), family);
    }

    private async Task<LayerResult> WriteAsync(PlannedLayer planned, PublishedPlatform platform, CancellationToken cancellationToken)
    {
        if (_layerCache is null) return await _writer.WriteAsync(planned.Entries, _blobCache, cancellationToken).ConfigureAwait(false);
        var result = await _layerCache.GetOrWriteAsync(planned.Entries, _writer, cancellationToken).ConfigureAwait(false);
        _log?.Write(BuildLogLevel.Info,
            $"{platform.Target.RuntimeIdentifier} {planned.Name} layer {result.Layer.Descriptor.Digest} ({PublishSummary.Bytes(result.Layer.Descriptor.Size)}): {(result.FromCache ? "unchanged, reused" : "written")}");
        return result.Layer;
    }

    private static ImageConfigEdits EditsFor(ContainerPublishRequest request, BaseImage baseImage, ImageFormat family)
    {
        string os = baseImage.Platform?.OS ?? baseImage.Config.OS;
        var (entrypoint, cmd) = request.Execution.ProcessFor(os, request.WorkingDirectory, baseImage.Config.Config?.Entrypoint);
        return request.Edits with
        {
            Entrypoint = entrypoint,
            Cmd = cmd,
            WorkingDir = request.WorkingDirectory,
            User = !string.IsNullOrWhiteSpace(request.User) ? request.User : AppUidOf(baseImage.Config),
            Annotations = OciAnnotations.ForManifest(request.GeneratedAnnotations, baseImage.Origin, request.Edits.Annotations, family),
            Labels = request.LabelBase ? OciAnnotations.WithBase(request.Edits.Labels, baseImage.Origin) : request.Edits.Labels,
        };
    }

    /// <summary>The .NET base images name their non-root user in APP_UID; run as it, as the SDK does.</summary>
    private static string? AppUidOf(ImageConfig config)
    {
        foreach (var entry in config.Config?.Env ?? [])
        {
            if (entry.StartsWith("APP_UID=", StringComparison.Ordinal) && entry.Length > "APP_UID=".Length)
                return entry["APP_UID=".Length..];
        }
        return null;
    }
}
