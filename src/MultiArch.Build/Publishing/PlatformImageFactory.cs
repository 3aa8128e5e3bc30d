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
    private readonly LayerWriter _windowsWriter;
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
        _windowsWriter = new LayerWriter(writer.Options with { WindowsLayer = true });
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

    public async Task<ImageArtifact> BuildAsync(ContainerPublishRequest request, PublishedPlatform platform, BaseImage baseImage, CancellationToken cancellationToken) =>
        (await BuildAllAsync(request, platform, [baseImage], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// One image per base, in order, from one publish: the images a Windows platform makes for each Windows build of its base
    /// index. The layers are planned and written once and shared by every image of the same media-type family, so each
    /// Windows version lists the same layer blobs over its own base.
    /// </summary>
    public async Task<IReadOnlyList<ImageArtifact>> BuildAllAsync(ContainerPublishRequest request, PublishedPlatform platform, IReadOnlyList<BaseImage> bases, CancellationToken cancellationToken)
    {
        var images = new List<ImageArtifact>();
        var layersOf = new Dictionary<(ImageFormat, bool), List<NewLayer>>();
        foreach (var baseImage in bases)
        {
            // The image's family: forced, or the base's. Checked before any layer is written: a Docker image cannot hold zstd layers.
            var family = request.Format ?? MediaTypes.FamilyOf(baseImage.ManifestMediaType);
            LayerCompressions.EnsureSupportedBy(request.LayerCompression, family);
            var directory = ImageWorkingDirectory.For(OSOf(baseImage), request.WorkingDirectory);
            if (!layersOf.TryGetValue((family, directory.IsWindows), out var layers))
            {
                layers = await LayersAsync(request, platform, baseImage, family, directory, cancellationToken).ConfigureAwait(false);
                layersOf[(family, directory.IsWindows)] = layers;
            }
            images.Add(ImageBuilder.Build(baseImage, layers, EditsFor(request, baseImage, family, directory), family));
        }
        return images;
    }

    private async Task<List<NewLayer>> LayersAsync(ContainerPublishRequest request, PublishedPlatform platform, BaseImage baseImage, ImageFormat family, ImageWorkingDirectory directory, CancellationToken cancellationToken)
    {
        var entries = PublishLayerSource.EntriesFor(platform, directory);
        if (directory.IsWindows) WindowsLayerTree.Check(entries);
        var plan = PlannerFor(_strategy, platform, directory.LayerRoot).Plan(entries);
        var writer = directory.IsWindows ? _windowsWriter : _writer;
        // The media type this image lists its new layers under, which a layer found elsewhere must have too.
        string mediaType = LayerMediaTypes.ConvertTo(writer.Options.MediaType, family);
        var layers = new List<NewLayer>();
        foreach (var planned in plan.Layers)
        {
            var arranged = directory.IsWindows ? WindowsLayerTree.Arrange(planned.Entries) : LayerTree.Arrange(planned.Entries);
            var (blob, diffId, source) = await LayerAsync(planned.Name, arranged, writer, platform, baseImage, mediaType, cancellationToken).ConfigureAwait(false);
            layers.Add(new NewLayer(blob, diffId, source,
                CreatedBy: $"MultiArch.Build: {planned.Name} layer of {platform.Target.RuntimeIdentifier} publish",
                Comment: "multiarch.build." + planned.Name));
        }
        return layers;
    }

    private async Task<(Descriptor Blob, Digest DiffId, IBlobSource Source)> LayerAsync(string name, IReadOnlyList<LayerEntry> arranged, LayerWriter writer, PublishedPlatform platform, BaseImage baseImage, string mediaType, CancellationToken cancellationToken)
    {
        string? fingerprint = null;
        if (_layerCache?.Find(arranged, writer.Options, out fingerprint) is { } cached)
            return Report(cached.Descriptor, "unchanged, reused", (cached.Descriptor, cached.DiffId, _blobCache));
        if (_reuse is not null && await _reuse.FindAsync(arranged, writer, mediaType, baseImage, cancellationToken).ConfigureAwait(false) is { } found)
        {
            var layer = found.Layer;
            // A blob on this machine goes into obj/ as if written here, so the next publish finds it there first.
            bool adopted = found.LocalStore is { } local && _layerCache is not null && _layerCache.Adopt(fingerprint!, layer, local);
            return Report(layer.Descriptor, $"already in {found.Where}, reused without compressing", (layer.Descriptor, layer.DiffId, adopted ? _blobCache : found.Source));
        }
        var written = _layerCache is null
            ? await writer.WriteArrangedAsync(arranged, _blobCache, null, cancellationToken).ConfigureAwait(false)
            : await _layerCache.WriteAsync(arranged, writer, cancellationToken).ConfigureAwait(false);
        _reuse?.Remember(written, _blobCache, writer.Options);
        return Report(written.Descriptor, "written", (written.Descriptor, written.DiffId, _blobCache));

        T Report<T>(Descriptor blob, string how, T layer)
        {
            _log?.Write(BuildLogLevel.Info, $"{platform.Target.RuntimeIdentifier} {name} layer {blob.Digest} ({PublishSummary.Bytes(blob.Size)}): {how}");
            return layer;
        }
    }

    private static string OSOf(BaseImage baseImage) => baseImage.Platform?.OS ?? baseImage.Config.OS;

    private static ImageConfigEdits EditsFor(ContainerPublishRequest request, BaseImage baseImage, ImageFormat family, ImageWorkingDirectory directory)
    {
        var (entrypoint, cmd) = request.Execution.ProcessFor(OSOf(baseImage), directory.Config, baseImage.Config.Config?.Entrypoint);
        return request.Edits with
        {
            Entrypoint = entrypoint,
            Cmd = cmd,
            WorkingDir = directory.Config,
            User = !string.IsNullOrWhiteSpace(request.User) ? request.User : directory.IsWindows ? WindowsUser : AppUidOf(baseImage.Config),
            Annotations = OciAnnotations.ForManifest(request.GeneratedAnnotations, baseImage.Origin, request.Edits.Annotations, family),
            Labels = request.LabelBase ? OciAnnotations.WithBase(request.Edits.Labels, baseImage.Origin) : request.Edits.Labels,
        };
    }

    /// <summary>
    /// The account a Windows image runs as unless ContainerUser says otherwise, as the SDK does: the non-administrator account
    /// every Windows base image has (ContainerAdministrator is the other).
    /// </summary>
    public const string WindowsUser = "ContainerUser";

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
