namespace MultiArch.Build.Oci;

/// <summary>
/// A manifest or index as its source served it: media type, exact bytes, and the digest they were checked against.
/// Registries and layouts hand out the same type, so everything that reads images reads them one way.
/// </summary>
public sealed record ImageDocument(string MediaType, byte[] Bytes, Digest Digest)
{
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>A descriptor of this document, as an index would list it (without a platform).</summary>
    public Descriptor ToDescriptor() => new() { MediaType = MediaType, Digest = Digest, Size = Bytes.Length };
}
