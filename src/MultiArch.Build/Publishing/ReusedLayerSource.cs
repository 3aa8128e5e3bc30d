using MultiArch.Build.Blobs;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Where a layer this build found instead of writing is read from, should the destination need its bytes after all:
/// the destination's own repository or layout, or the user's layer cache. The destination reads it only when it lacks
/// the blob, so a read that fails means the blob vanished after it was found (a registry's garbage collection, another
/// build pruning the cache). That failure is a <see cref="LayerReuseFailedException"/>: the publisher then writes the
/// layers itself and sends the images again. Destinations put every blob in place before any manifest, and tags last,
/// so the failed attempt named nothing.
/// </summary>
internal sealed class ReusedLayerSource(IBlobSource inner, string where) : IBlobSource
{
    // Only the open is guarded: a registry blob stream sends its GET when opened, so a missing blob fails here, before
    // any upload has begun. A read that breaks later is the source's own error, as for any other blob.
    public async Task<Stream> OpenReadAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.OpenReadAsync(descriptor, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LayerReuseFailedException($"Layer {descriptor.Digest}, found in {where}, could not be read from there any more ({ex.Message})");
        }
    }
}

/// <summary>
/// A layer taken from the destination or the user's cache instead of written could not be read when it was needed.
/// Never reaches the user: the publisher writes the layers and sends the images again. It carries no inner exception on
/// purpose, so the registry client passes it on as it is instead of reporting the inner error.
/// </summary>
internal sealed class LayerReuseFailedException(string message) : Exception(message);
