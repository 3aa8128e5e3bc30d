using MultiArch.Build.Blobs;
using MultiArch.Build.Images;
using MultiArch.Build.Layers;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Builds one platform's image: plans the publish output into layers, writes them (streaming, into the
/// blob cache) and applies them with the config edits to that platform's base.
/// </summary>
public sealed class PlatformImageFactory(BlobStore blobCache, ILayerPlanner planner, LayerWriter writer)
{
    public async Task<ImageArtifact> BuildAsync(ContainerPublishRequest request, PublishedPlatform platform, BaseImage baseImage, CancellationToken cancellationToken)
    {
        var entries = PublishLayerSource.EntriesFor(platform, request.WorkingDirectory);
        var plan = planner.Plan(entries);
        var layers = new List<NewLayer>();
        foreach (var planned in plan.Layers)
        {
            var written = await writer.WriteAsync(planned.Entries, blobCache, cancellationToken).ConfigureAwait(false);
            layers.Add(new NewLayer(written.Descriptor, written.DiffId, blobCache,
                CreatedBy: $"MultiArch.Build: {planned.Name} layer of {platform.Target.RuntimeIdentifier} publish",
                Comment: "multiarch.build." + planned.Name));
        }
        var edits = EditsFor(request, baseImage);
        return ImageBuilder.Build(baseImage, layers, edits, request.Format);
    }

    private static ImageConfigEdits EditsFor(ContainerPublishRequest request, BaseImage baseImage)
    {
        string os = baseImage.Platform?.OS ?? baseImage.Config.OS;
        return request.Edits with
        {
            Entrypoint = request.Execution.EntrypointFor(os, request.WorkingDirectory),
            Cmd = request.Execution.Cmd,
            WorkingDir = request.WorkingDirectory,
            User = !string.IsNullOrWhiteSpace(request.User) ? request.User : AppUidOf(baseImage.Config),
            Annotations = OciAnnotations.ForDocument(request.GeneratedAnnotations, baseImage.Origin, request.Edits.Annotations, MediaTypes.ManifestFor(request.Format ?? MediaTypes.FamilyOf(baseImage.ManifestMediaType))),
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
