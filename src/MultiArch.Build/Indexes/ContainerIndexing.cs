using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Push;
using MultiArch.Build.Sources;

namespace MultiArch.Build.Indexes;

/// <summary>
/// Makes one index from images already in registries or layouts (the merge step of a CI fan-out): reads every
/// source, and when appending the index the first tag names, composes the new index, copies (or mounts)
/// what the target repository lacks, puts the index by digest and then the tags.
/// </summary>
public static class ContainerIndexing
{
    public static async Task<ContainerIndexResult> RunAsync(ContainerIndexRequest request, IBuildLog log, string? insecureRegistries, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Registry))
            throw new MabException(ErrorCode.IndexNeedsRegistry,
                "CreateContainerIndex makes an index in a registry, and ContainerRegistry is empty. Set -p:ContainerRegistry=<host[:port]> and -p:ContainerRepository=<name>.");
        using var clients = RegistryClients.ForBuild(insecureRegistries, log, request.Registry);
        var target = ImageReference.Parse($"{request.Registry.Trim().TrimEnd('/')}/{request.Repository}");
        return await CreateAsync(request, target, clients.Pull, clients.Push, log, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<ContainerIndexResult> CreateAsync(ContainerIndexRequest request, ImageReference target, RegistryClient pullClient, RegistryClient pushClient, IBuildLog log, CancellationToken cancellationToken)
    {
        using var sources = new ImageSources(pullClient);
        var reader = new IndexEntryReader(target);
        var added = new List<IndexEntry>();
        foreach (var source in IndexSources.Parse(request.Sources, target))
        {
            var entries = await reader.ReadAsync(await sources.OpenAsync(source, pin: null, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            log.Write(BuildLogLevel.Info, $"Source {source}: {string.Join(", ", entries.Select(e => e.IsAttestation ? "attestation" : e.Platform!.ToString()))}");
            added.AddRange(entries);
        }

        var (existing, existingAnnotations) = request.Append
            ? await ReadExistingAsync(target.WithTag(request.Tags[0]), reader, pullClient, log, cancellationToken).ConfigureAwait(false)
            : ([], null);
        var index = IndexComposer.Compose(existing, added, request.Annotations, request.GeneratedAnnotations, existingAnnotations);

        var destination = new RegistryDestination(pushClient, target, new BlobProgressLog(log));
        var written = await destination.WriteIndexAsync(index, request.Tags, cancellationToken).ConfigureAwait(false);
        return new ContainerIndexResult(index.Descriptor, index.Index.Manifests, written.References);
    }

    /// <summary>The entries of the index a tag names now; none when the tag does not exist yet.</summary>
    private static async Task<(IReadOnlyList<IndexEntry>, StringMap?)> ReadExistingAsync(ImageReference tagged, IndexEntryReader reader, RegistryClient client, IBuildLog log, CancellationToken cancellationToken)
    {
        var current = new ImageSourceReader(new RegistryImageSource(client, tagged));
        if (await current.Source.TryGetTopAsync(cancellationToken).ConfigureAwait(false) is not { } top)
        {
            log.Write(BuildLogLevel.Info, $"{tagged} does not exist yet; the index holds only the sources.");
            return ([], null);
        }
        if (!top.IsIndex) return (await reader.ReadAsync(current, cancellationToken).ConfigureAwait(false), null);
        var index = OciJson.DeserializeIndex(top.Bytes);
        log.Write(BuildLogLevel.Info, $"Appending to {tagged} ({top.Digest}, {index.Manifests.Count} entries).");
        return (index.Manifests.Select(d => new IndexEntry(d.Clone(), null)).ToList(), index.Annotations);
    }
}
