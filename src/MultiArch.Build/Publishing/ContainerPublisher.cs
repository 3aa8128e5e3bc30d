using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Sbom;
using MultiArch.Build.Sources;

namespace MultiArch.Build.Publishing;

/// <summary>
/// The data path after the per-platform publishes: resolve each base index once, build every platform's
/// image locally (a Windows platform one per Windows build of its base), then hand the index (or, for push-by-digest, the images) to the destination, which
/// writes children first and tags last. Nothing reaches the destination until every platform built.
/// </summary>
public sealed class ContainerPublisher(ImageSources sources, IImageDestination destination, PlatformImageFactory images, IBuildLog log)
{
    public async Task<ContainerPublishResult> PublishAsync(ContainerPublishRequest request, CancellationToken cancellationToken)
    {
        var baseImages = await ResolveBasesAsync(request, cancellationToken).ConfigureAwait(false);
        var built = await BuildAsync(request, baseImages, cancellationToken).ConfigureAwait(false);
        try
        {
            return await WriteAsync(request, built, cancellationToken).ConfigureAwait(false);
        }
        catch (LayerReuseFailedException failed)
        {
            // Nothing was tagged: destinations put every blob in place before the manifests that name them, and tags last.
            log.Write(BuildLogLevel.Info, $"{failed.Message}; writing the layers instead and sending the images again.");
            images.StopReusingLayers();
            built = await BuildAsync(request, baseImages, cancellationToken).ConfigureAwait(false);
            return await WriteAsync(request, built, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The images built, in the order of the request's platforms, each with the publish and the base it was made from.</summary>
    private sealed record Built(IReadOnlyList<PublishedPlatform> Platforms, IReadOnlyList<BaseImage> Bases, IReadOnlyList<ImageArtifact> Images);

    /// <summary>
    /// Every platform's images: one per base, so a Windows platform gives an image for each Windows build of its base from
    /// its one publish (<see cref="PlatformImageFactory.BuildAllAsync"/>).
    /// </summary>
    private async Task<Built> BuildAsync(ContainerPublishRequest request, IReadOnlyList<BaseImage>[] baseImages, CancellationToken cancellationToken)
    {
        var built = new IReadOnlyList<ImageArtifact>[request.Platforms.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, built.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount), CancellationToken = cancellationToken },
            async (i, ct) => built[i] = await images.BuildAllAsync(request, request.Platforms[i], baseImages[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        return new Built(
            [.. request.Platforms.SelectMany((platform, i) => built[i].Select(_ => platform))],
            [.. baseImages.SelectMany(b => b)],
            [.. built.SelectMany(b => b)]);
    }

    private async Task<ContainerPublishResult> WriteAsync(ContainerPublishRequest request, Built built, CancellationToken cancellationToken)
    {
        // Each image's SBOM is made from the publish it came from: the request lists that publish once per image.
        var (images, attestations, sboms) = ImageSboms.Attach(request with { Platforms = built.Platforms }, built.Images, built.Bases, log);
        var results = built.Images.Select((image, i) => ResultFor(built.Platforms[i], image, sboms[i])).ToList();
        if (request.Destination.PushByDigest)
        {
            long uploaded = 0, skipped = 0;
            var references = new List<string>();
            foreach (var image in images)
            {
                var written = await destination.WriteImageAsync(image, [], cancellationToken).ConfigureAwait(false);
                uploaded += written.BytesWritten; skipped += written.BytesSkipped;
                references.AddRange(written.References);
            }
            return new ContainerPublishResult(null, results, references, uploaded, skipped);
        }

        var generated = request.GeneratedAnnotations.Count == 0 ? null : OciAnnotations.WithBase(request.GeneratedAnnotations, OciAnnotations.SharedOrigin(built.Bases), forIndex: true);
        var index = IndexComposer.Compose([], [.. images.Select(IndexEntry.Of), .. attestations], request.IndexAnnotations, generated);
        log.Write(BuildLogLevel.Info, $"Writing index {index.Descriptor.Digest} with {built.Images.Count} image(s) to {request.Destination.Describe()}");
        var result = await destination.WriteIndexAsync(index, request.Destination.Tags, cancellationToken).ConfigureAwait(false);
        return new ContainerPublishResult(index.Descriptor, results, result.References, result.BytesWritten, result.BytesSkipped);
    }

    private async Task<IReadOnlyList<BaseImage>[]> ResolveBasesAsync(ContainerPublishRequest request, CancellationToken cancellationToken)
    {
        var resolved = new IReadOnlyList<BaseImage>[request.Platforms.Count];
        foreach (var group in request.Platforms.Select((p, i) => (p, i)).GroupBy(x => (x.p.BaseImage, x.p.BaseImageDigest)))
        {
            var members = group.ToList();
            var (reference, pin) = group.Key;
            log.Write(BuildLogLevel.Info, $"Resolving base image {reference}{(pin is null ? "" : $" at {pin}")} for {string.Join(", ", members.Select(m => m.p.Target.Platform))}");
            var reader = await sources.OpenAsync(reference, pin, cancellationToken).ConfigureAwait(false);
            var found = await BaseImageSelection.SelectEveryAsync(reader, members.Select(m => m.p.Target.Platform).ToList(), cancellationToken).ConfigureAwait(false);
            for (int k = 0; k < members.Count; k++)
            {
                resolved[members[k].i] = found[k];
                if (found[k].Count > 1)
                    log.Write(BuildLogLevel.Info, $"{members[k].p.Target.Platform} is built once for each of {found[k].Count} Windows versions of {reference}: {string.Join(", ", found[k].Select(b => b.Platform?.OSVersion))}");
            }
        }
        return resolved;
    }

    private static PlatformImageResult ResultFor(PublishedPlatform platform, ImageArtifact image, SbomWritten? sbom) => new(
        image.Descriptor.Platform?.ToString() ?? platform.Target.Platform.ToString(),
        platform.Target.RuntimeIdentifier,
        image.Descriptor,
        platform.BaseImage,
        image.Manifest.Layers.Count,
        image.Manifest.Layers.Sum(l => l.Size) + image.Manifest.Config.Size,
        sbom);
}
