using MultiArch.Build.Oci;

namespace MultiArch.Build.Blobs;

/// <summary>
/// Somewhere the bytes of a blob can be read from: a local blob store, a layout, a registry
/// repository, or memory. Destinations read blobs only through this, so they do not care where a
/// base layer or a new layer lives.
/// </summary>
public interface IBlobSource
{
    /// <summary>Opens the blob's content for reading. The caller disposes the stream.</summary>
    Task<Stream> OpenReadAsync(Descriptor descriptor, CancellationToken cancellationToken);
}
