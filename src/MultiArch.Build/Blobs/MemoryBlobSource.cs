using MultiArch.Build.Oci;

namespace MultiArch.Build.Blobs;

/// <summary>Small blobs (configs, manifests) held as bytes.</summary>
public sealed class MemoryBlobSource : IBlobSource
{
    private readonly Dictionary<Digest, byte[]> _blobs = [];

    public Descriptor Add(string mediaType, byte[] content)
    {
        var descriptor = Descriptor.For(mediaType, content);
        _blobs[descriptor.Digest] = content;
        return descriptor;
    }

    public Task<Stream> OpenReadAsync(Descriptor descriptor, CancellationToken cancellationToken) =>
        _blobs.TryGetValue(descriptor.Digest, out var content)
            ? Task.FromResult<Stream>(new MemoryStream(content, writable: false))
            : throw new FileNotFoundException($"Blob {descriptor.Digest} is not held in memory.");
}
