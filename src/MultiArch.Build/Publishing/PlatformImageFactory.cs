using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Layers;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Builds one platform's image: plans the publish output into layers, gets each layer and applies them with
/// the config edits to that platform's base. A layer comes from the layer cache in <c>obj/</c> when its inputs
/// are unchanged; else from a blob that already holds its tar (<see cref="LayerReuse"/>: the destination, the
/// base, the user's cache); else it is written (streaming, into the blob cache).
/// </summary>
public sealed class PlatformImageFactory
{
    private readonly BlobStore _blobCache;
    private readonly LayerStrategy _strategy;
    private readonly LayerWriter _writer;
    private readonly LayerCache? _layerCache;
    private readonly IBuildLog? _log;
    private readonly LayerReuse? _reuse;

    /// <summary>
    /// Plans each platform by <paramref name="strategy"/> from its published files; reuses layers from <paramref name="layerCache"/>
    /// when given, and from what <paramref name="reuse"/> finds.
    /// </summary>
    public PlatformImageFactory(BlobStore blobCache, LayerStrategy strategy, LayerWriter writer, LayerCache? layerCache = null, IBuildLog? log = null, LayerReuse? reuse = null)
    {
        _blobCache = blobCache;
        _strategy = strategy;
        _writer = writer;
        _layerCache = layerCache;
        _log = log;
        _reuse = reuse;
    }

    /// <summary>From now on, writes every layer the obj/ cache does not hold instead of taking it from elsewhere (see <see cref="LayerReuse"/>).</summary>
    public void StopReusingLayers() => _reuse?.Stop();

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
        // The media type this image lists its new layers under, which a layer found elsewhere must have too.
        string mediaType = LayerMediaTypes.ConvertTo(_writer.Options.MediaType, family);
        var layers = new List<NewLayer>();
        foreach (var planned in plan.Layers)
        {
            var (blob, diffId, source) = await LayerAsync(planned, platform, baseImage, mediaType, cancellationToken).ConfigureAwait(false);
            layers.Add(new NewLayer(blob, diffId, source,
                CreatedBy: $"MultiArch.Build: {planned.Name} layer of {platform.Target.RuntimeIdentifier} publish",
                Comment: "multiarch.build." + planned.Name));
        }
        return ImageBuilder.Build(baseImage, layers, EditsFor(request, baseImage, family), family);
    }

    private async Task<(Descriptor Blob, Digest DiffId, IBlobSource Source)> LayerAsync(PlannedLayer planned, PublishedPlatform platform, BaseImage baseImage, string mediaType, CancellationToken cancellationToken)
    {
        var arranged = LayerTree.Arrange(planned.Entries);
        string? fingerprint = null;
        if (_layerCache?.Find(arranged, _writer.Options, out fingerprint) is { } cached)
            return Report(cached.Descriptor, "unchanged, reused", (cached.Descriptor, cached.DiffId, _blobCache));
        if (_reuse is not null && await _reuse.FindAsync(arranged, _writer, mediaType, baseImage, cancellationToken).ConfigureAwait(false) is { } found)
        {
            var layer = found.Layer;
            // A blob on this machine goes into obj/ as if written here, so the next publish finds it there first.
            bool adopted = found.LocalStore is { } local && _layerCache is not null && _layerCache.Adopt(fingerprint!, layer, local);
            return Report(layer.Descriptor, $"already in {found.Where}, reused without compressing", (layer.Descriptor, layer.DiffId, adopted ? _blobCache : found.Source));
        }
        var written = _layerCache is null
            ? await _writer.WriteArrangedAsync(arranged, _blobCache, null, cancellationToken).ConfigureAwait(false)
            : await _layerCache.WriteAsync(arranged, _writer, cancellationToken).ConfigureAwait(false);
        _reuse?.Remember(written, _blobCache, _writer.Options);
        return Report(written.Descriptor, "written", (written.Descriptor, written.DiffId, _blobCache));

        T Report<T>(Descriptor blob, string how, T layer)
        {
            _log?.Write(BuildLogLevel.Info, $"{platform.Target.RuntimeIdentifier} {planned.Name} layer {blob.Digest} ({PublishSummary.Bytes(blob.Size)}): {how}");
            return layer;
        }
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
