using System.Collections.Concurrent;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Layers;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Sources;

namespace MultiArch.Build.Publishing;

/// <summary>
/// The layers the destination already holds under the tags this publish writes: for every image those tags name (each
/// platform of an index; attestations left out), its config's <c>rootfs.diff_ids</c> paired with its manifest's layers.
/// A layer the build would write whose tar has one of these diff_ids, listed with the media type the build would give
/// it, is taken as it is: same digest, nothing compressed, nothing uploaded.
/// </summary>
/// <remarks>
/// Reading is only an attempt to save work. A tag that does not exist yet holds nothing; a destination that refuses
/// the reads (401, 403), fails, or holds something this cannot read gives a log line and no layers, and the build
/// compresses as it would have. Before a layer is taken, its blob is confirmed in the destination (a HEAD in the target
/// repository, a file in the layout): an index may list blobs a registry has since lost.
/// </remarks>
public sealed class DestinationLayers
{
    private delegate Task<bool> BlobCheck(IImageSource source, Descriptor blob, CancellationToken cancellationToken);

    /// <summary>A destination with nothing in it (a new tag, push by digest, or one that could not be read).</summary>
    public static readonly DestinationLayers None = new([], (_, _, _) => Task.FromResult(false));

    private readonly Dictionary<(Digest DiffId, string MediaType), (Descriptor Blob, IImageSource Source)> _layers;
    private readonly BlobCheck _exists;
    private readonly ConcurrentDictionary<Digest, Task<bool>> _confirmed = new();

    private DestinationLayers(Dictionary<(Digest, string), (Descriptor, IImageSource)> layers, BlobCheck exists)
    {
        _layers = layers;
        _exists = exists;
    }

    /// <summary>How many distinct layers (diff_id and media type) the destination's images hold.</summary>
    public int Count => _layers.Count;

    /// <summary>Whether any layer has <paramref name="mediaType"/>: if none has, no layer of that type can be found, and its tar need not be hashed first.</summary>
    public bool Holds(string mediaType) => _layers.Keys.Any(k => k.MediaType == mediaType);

    /// <summary>
    /// The destination's layer that holds <paramref name="tar"/>, listed as <paramref name="mediaType"/>, once its blob is
    /// confirmed there; null when there is none. Its source reads the blob back from the destination, and fails with
    /// <see cref="LayerReuseFailedException"/> if it vanished in the meantime.
    /// </summary>
    public async Task<ReusedLayer?> FindAsync(TarDigest tar, string mediaType, CancellationToken cancellationToken)
    {
        if (!_layers.TryGetValue((tar.DiffId, mediaType), out var found)) return null;
        var (blob, source) = found;
        if (!await _confirmed.GetOrAdd(blob.Digest, _ => ConfirmAsync(source, blob, cancellationToken)).ConfigureAwait(false)) return null;
        // Only what the writer itself would list: a foreign tool's annotations or URLs on a layer are not carried over.
        var descriptor = new Descriptor { MediaType = blob.MediaType, Digest = blob.Digest, Size = blob.Size };
        string where = "the destination " + source.Name;
        return new ReusedLayer(new LayerResult(descriptor, tar.DiffId, tar.Size), new ReusedLayerSource(source.Blobs, where), where);
    }

    // A blob that cannot be confirmed (the HEAD failed or was refused) is treated as missing: the layer is written.
    private async Task<bool> ConfirmAsync(IImageSource source, Descriptor blob, CancellationToken cancellationToken)
    {
        try
        {
            return await _exists(source, blob, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads what the destination's <paramref name="spec"/> tags name now: registry images through <paramref name="push"/> (the
    /// target's credentials), layouts and archives from disk, all through <paramref name="sources"/>, which must stay open
    /// until the images are written (an archive's unpacked copy serves the blobs).
    /// </summary>
    public static async Task<DestinationLayers> ReadAsync(ImageDestinationSpec spec, ImageSources sources, RegistryClient push, IBuildLog log, CancellationToken cancellationToken)
    {
        if (spec.Tags.Count == 0) return None;
        string prefix;
        BlobCheck exists;
        if (!string.IsNullOrEmpty(spec.Registry))
        {
            var repository = ImageReference.Parse($"{spec.Registry}/{spec.Repository}");
            prefix = repository + ":";
            exists = (_, blob, ct) => push.BlobExistsAsync(repository, blob, ct);
        }
        else
        {
            string? written = spec.ArchivePath is { Length: > 0 } archive ? archive : spec.LayoutPath;
            if (string.IsNullOrEmpty(written)) return None;
            string path = Path.GetFullPath(written);
            if (!File.Exists(path) && !Directory.Exists(Path.Combine(path, OciLayoutFormat.BlobsFolderName))) return None;
            prefix = LayoutImageSource.Scheme + path + ":";
            exists = (source, blob, _) => Task.FromResult(source.Blobs is OciLayoutReader layout && layout.Has(blob.Digest));
        }

        var layers = new Dictionary<(Digest, string), (Descriptor, IImageSource)>();
        foreach (string tag in spec.Tags)
        {
            string reference = prefix + tag;
            try
            {
                var reader = await sources.OpenAsync(reference, null, cancellationToken).ConfigureAwait(false);
                foreach (var image in await ReadImagesAsync(reader, cancellationToken).ConfigureAwait(false))
                    Add(image, layers);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                log.Write(BuildLogLevel.Info, $"Could not read {reference} to find the layers it holds, so none of them is reused: {ex.Message}");
            }
        }
        return layers.Count == 0 ? None : new DestinationLayers(layers, exists);
    }

    /// <summary>Every image the source's reference names now (attestations left out): none for a tag that does not exist yet.</summary>
    private static async Task<IReadOnlyList<SourceImage>> ReadImagesAsync(ImageSourceReader reader, CancellationToken cancellationToken) =>
        await reader.Source.TryGetTopAsync(cancellationToken).ConfigureAwait(false) is { } top
            ? await reader.ReadImagesAsync(top, m => MediaTypes.IsManifest(m.MediaType) && !Attestations.IsAttestation(m), cancellationToken).ConfigureAwait(false)
            : [];

    // The first image to list a diff_id in a media type wins: tags in the order given, platforms in index order.
    private static void Add(SourceImage image, Dictionary<(Digest, string), (Descriptor, IImageSource)> layers)
    {
        var diffIds = image.Config.RootFs.DiffIds;
        var blobs = image.Manifest.Layers;
        if (diffIds.Count != blobs.Count) return; // an inconsistent image says nothing reliable about its layers
        for (int i = 0; i < blobs.Count; i++)
            layers.TryAdd((diffIds[i], blobs[i].MediaType), (blobs[i], image.Source));
    }
}
