using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Layers;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Sources;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Looks for a blob that already holds a layer's tar before the layer is compressed (after the layer cache in
/// <c>obj/</c> missed): the destination's images, the base image, then the user's layer cache. The tar's diff_id is
/// hashed first, which costs a read of the files against gzip's far slower compression, and only when a match is
/// possible at all: a cold publish to a new tag with an empty user cache, or a layer too small for the user cache to
/// keep (the app's, on most publishes) and not in the destination, hashes nothing more than before.
/// </summary>
/// <remarks>
/// <para>
/// The destination comes first, before the user's cache: its blob is already there, so taking it uploads nothing and
/// keeps the digest it has, while a cached blob compressed on this machine may differ from it (another machine, OS or
/// zlib build may have pushed it) and would change the image's digests and be uploaded. Matches are by diff_id and by
/// the exact media type this build would list (<c>tar+gzip</c> in an OCI image, Docker's gzip type in a Docker one,
/// <c>tar+zstd</c> only when zstd is asked for), never across compressions.
/// </para>
/// <para>
/// A layer found this way is read back from where it was found only if the destination turns out to lack it; if it
/// vanished by then, <see cref="ContainerPublisher"/> turns reuse off with <see cref="Stop"/> and builds again.
/// </para>
/// </remarks>
public sealed class LayerReuse
{
    private readonly UserLayerCache? _userCache;
    private readonly Func<CancellationToken, Task<DestinationLayers>>? _readDestination;
    private readonly object _gate = new();
    private Task<DestinationLayers>? _destination;
    private volatile bool _stopped;

    /// <param name="readDestination">Reads the destination's layers, once, when a layer first needs them; null: no destination to look in.</param>
    public LayerReuse(UserLayerCache? userCache, Func<CancellationToken, Task<DestinationLayers>>? readDestination)
    {
        _userCache = userCache;
        _readDestination = readDestination;
    }

    /// <summary>
    /// Reuse for a publish to <paramref name="destination"/>: its tags are read through <paramref name="sources"/> (registry images with
    /// <paramref name="push"/>, the target's client), which must stay open until the images are written.
    /// </summary>
    public static LayerReuse For(ImageDestinationSpec destination, ImageSources sources, RegistryClient push, UserLayerCache? userCache, IBuildLog log) =>
        new(userCache, async ct =>
        {
            var layers = await DestinationLayers.ReadAsync(destination, sources, push, log, ct).ConfigureAwait(false);
            if (layers.Count > 0) log.Write(BuildLogLevel.Info, $"{destination.Describe()} holds {layers.Count} layer(s) under {string.Join(", ", destination.Tags)}; new layers with the same content are not compressed again");
            return layers;
        });

    /// <summary>Turns reuse off for the rest of the publish: every layer the obj/ cache does not hold is written.</summary>
    public void Stop() => _stopped = true;

    /// <summary>
    /// A blob that already holds the tar of <paramref name="arranged"/> as <paramref name="writer"/> would write it, listed as
    /// <paramref name="mediaType"/> (the build's layer media type in the image's family); null when there is none.
    /// </summary>
    public async Task<ReusedLayer?> FindAsync(IReadOnlyList<LayerEntry> arranged, LayerWriter writer, string mediaType, BaseImage baseImage, CancellationToken cancellationToken)
    {
        if (_stopped) return null;
        var destination = await DestinationAsync(cancellationToken).ConfigureAwait(false);
        bool cached = _userCache is not null && UserLayerCache.MayHold(arranged) && !_userCache.IsEmpty(writer.Options);
        if (!cached && !destination.Holds(mediaType)) return null;

        var tar = await writer.HashTarAsync(arranged, cancellationToken).ConfigureAwait(false);
        return await destination.FindAsync(tar, mediaType, cancellationToken).ConfigureAwait(false)
            ?? InBase(baseImage, tar, mediaType)
            ?? InUserCache(tar.DiffId, writer.Options);
    }

    // Read once, by the first layer the obj/ cache did not hold: a publish whose layers are all unchanged reads nothing.
    private Task<DestinationLayers> DestinationAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return _destination ??= _readDestination?.Invoke(cancellationToken) ?? Task.FromResult(DestinationLayers.None);
    }

    /// <summary>Keeps a layer just written into <paramref name="store"/> in the user's cache, for the next publish of any project.</summary>
    public void Remember(LayerResult written, BlobStore store, LayerWriterOptions options) => _userCache?.Record(written, store, options);

    // Rare (a publish output that repeats a base layer), but free to check: the base's layers are in memory, and its blobs
    // go with the image anyway (mounted from the base's repository).
    private static ReusedLayer? InBase(BaseImage baseImage, TarDigest tar, string mediaType)
    {
        var diffId = tar.DiffId;
        var diffIds = baseImage.Config.RootFs.DiffIds;
        var layers = baseImage.Manifest.Layers;
        var family = MediaTypes.FamilyOf(mediaType);
        for (int i = 0; i < Math.Min(diffIds.Count, layers.Count); i++)
        {
            if (diffIds[i] != diffId) continue;
            if (!LayerMediaTypes.TryConvertTo(layers[i].MediaType, family, out string? converted) || converted != mediaType) continue;
            var descriptor = new Descriptor { MediaType = mediaType, Digest = layers[i].Digest, Size = layers[i].Size };
            return new ReusedLayer(new LayerResult(descriptor, diffId, tar.Size), baseImage.LayerSource, "the base image");
        }
        return null;
    }

    private ReusedLayer? InUserCache(Digest diffId, LayerWriterOptions options)
    {
        if (_userCache?.Find(diffId, options) is not { } hit) return null;
        string where = "the user layer cache " + _userCache.Root;
        return new ReusedLayer(hit, new ReusedLayerSource(_userCache.Blobs, where), where) { LocalStore = _userCache.Blobs };
    }
}

/// <summary>A layer this build takes instead of writing it: the layer, where its bytes can be read, and where it was found (for the log).</summary>
public sealed record ReusedLayer(LayerResult Layer, IBlobSource Source, string Where)
{
    /// <summary>The store on this machine that holds the blob (the user's layer cache), from which the obj/ layer cache can copy it; null for a remote one.</summary>
    public BlobStore? LocalStore { get; init; }
}
