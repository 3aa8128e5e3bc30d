using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;
using MultiArch.Build.Registry;
using MultiArch.Build.Sources;

namespace MultiArch.Build.Indexes;

/// <summary>What a copy wrote: the descriptor of what was copied (its digest unchanged), the references written, and the bytes moved or skipped.</summary>
public sealed record ImageCopyResult(Descriptor Copied, int Images, DestinationResult Written);

/// <summary>
/// Copies what a reference names (an index with every image it lists, or one image) between registries, OCI layouts
/// and layout archives, byte for byte, with each image's OCI 1.1 referrers (SBOMs): manifests and indexes keep their
/// exact bytes, so every digest stays. Blobs are streamed from the source (or mounted within one registry); the destination writes children first and the tag last.
/// </summary>
public static class ImageCopy
{
    public static async Task<ImageCopyResult> RunAsync(string source, string destination, IBuildLog log, string? insecureRegistries, CancellationToken cancellationToken)
    {
        var (spec, tag) = ParseDestination(destination, DefaultTag(source));
        using var clients = RegistryClients.ForBuild(insecureRegistries, log, spec.Registry);
        using var sources = new ImageSources(clients.Pull);
        var reader = await sources.OpenAsync(source, pin: null, cancellationToken).ConfigureAwait(false);
        var top = await reader.ReadTopAsync(where => new MabException(ErrorCode.CopySourceNotFound,
            $"Image {source} does not exist: {where}."), cancellationToken).ConfigureAwait(false);
        var target = ContainerPublishing.CreateDestination(spec, clients.Push, log);

        var images = new List<ImageArtifact>();
        var read = await reader.ReadImagesAsync(top, null, cancellationToken).ConfigureAwait(false);
        var referrersOf = await reader.ReadReferrersAsync(read, cancellationToken).ConfigureAwait(false);
        foreach (var (image, referrers) in read.Zip(referrersOf))
        {
            images.Add(image.ToArtifact(image.Descriptor).WithReferrers(referrers));
            log.Write(BuildLogLevel.Info, $"{(Attestations.IsAttestation(image.Descriptor) ? "attestation" : image.Descriptor.Platform?.ToString() ?? "image")}: {image.Document.Digest}");
        }
        if (!top.IsIndex)
            return new ImageCopyResult(top.ToDescriptor(), 1, await target.WriteImageAsync(images[0], [tag], cancellationToken).ConfigureAwait(false));
        var index = OciJson.DeserializeIndex(top.Bytes);
        index.MediaType ??= top.MediaType;
        var written = await target.WriteIndexAsync(new IndexArtifact(index, top.Bytes, images), [tag], cancellationToken).ConfigureAwait(false);
        return new ImageCopyResult(top.ToDescriptor(), images.Count, written);
    }

    /// <summary>The source's own tag or ref name, which a destination without one keeps; else <c>latest</c>.</summary>
    private static string DefaultTag(string source)
    {
        if (LayoutImageSource.Handles(source)) return LayoutImageSource.Split(source).RefName ?? "latest";
        return ImageReference.TryParse(source, out var reference) && reference.Tag is { } tag ? tag : "latest";
    }

    private static (ImageDestinationSpec Spec, string Tag) ParseDestination(string destination, string defaultTag)
    {
        if (destination.StartsWith(LayoutImageSource.ArchiveScheme, StringComparison.Ordinal) || destination.StartsWith(LayoutImageSource.Scheme, StringComparison.Ordinal))
        {
            var (path, refName) = LayoutImageSource.Split(destination);
            if (path.Length == 0) throw Invalid(destination, "the path is empty");
            bool archive = destination.StartsWith(LayoutImageSource.ArchiveScheme, StringComparison.Ordinal)
                || (!Directory.Exists(path) && path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase));
            var spec = archive ? new ImageDestinationSpec { ArchivePath = path } : new ImageDestinationSpec { LayoutPath = path };
            return (spec, refName ?? defaultTag);
        }
        if (!ImageReference.TryParse(destination, out var reference))
            throw Invalid(destination, "it is not an image reference");
        if (reference.Digest is not null)
            throw Invalid(destination, "a copy keeps the source's digest, so the destination names a tag, not a digest");
        return (new ImageDestinationSpec { Registry = reference.Registry, Repository = reference.Repository }, reference.Tag ?? defaultTag);
    }

    private static MabException Invalid(string destination, string why) =>
        new(ErrorCode.CopyDestinationInvalid,
            $"Copy destination '{destination}' cannot be used: {why}. Write registry/repository[:tag], oci:<layout folder>[:<ref>] or oci-archive:<file.tar>[:<ref>].");
}
