using MultiArch.Build.Blobs;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Layout;

/// <summary>
/// Images in an OCI image layout on disk, named like skopeo names them: <c>oci:&lt;path&gt;[:&lt;ref&gt;]</c>, where the
/// path is a layout directory or a .tar archive of one (<c>oci-archive:</c> is accepted too, as skopeo writes it). Without a ref name the layout must hold exactly one image.
/// Disposing removes an archive's unpacked copy.
/// </summary>
public sealed class LayoutImageSource : IImageSource, IDisposable
{
    public const string Scheme = "oci:";
    public const string ArchiveScheme = "oci-archive:";

    private readonly OciLayoutReader _reader;
    private readonly string? _refName;

    private LayoutImageSource(string name, OciLayoutReader reader, string? refName)
    {
        Name = name;
        _reader = reader;
        _refName = refName;
    }

    /// <summary>Whether a reference names a layout (<c>oci:…</c>) rather than a registry image.</summary>
    public static bool Handles(string reference) =>
        reference.StartsWith(Scheme, StringComparison.Ordinal) || reference.StartsWith(ArchiveScheme, StringComparison.Ordinal);

    public static async Task<LayoutImageSource> OpenAsync(string reference, CancellationToken cancellationToken)
    {
        var (path, refName) = Split(reference);
        return new LayoutImageSource(reference, await OciLayoutReader.OpenAsync(path, cancellationToken).ConfigureAwait(false), refName);
    }

    public string Name { get; }

    public string? AnnotationName => null;

    public IBlobSource Blobs => _reader;

    public Task<ImageDocument?> TryGetTopAsync(CancellationToken cancellationToken)
    {
        // Referrers (SBOMs) listed beside an image are not images: a layout of one image and its SBOMs still holds one.
        var manifests = _reader.Index.Manifests.Where(m => m.ArtifactType is null).ToList();
        var entry = _refName is null
            ? (manifests.Count == 1 ? manifests[0] : null)
            : _reader.Find(_refName);
        // An entry index.json lists but blobs/ lacks is a broken layout (MAB1404), not a name that is missing.
        return Task.FromResult(entry is null ? null : Document(entry));
    }

    public Task<ImageDocument?> TryGetDocumentAsync(Descriptor descriptor, CancellationToken cancellationToken) =>
        Task.FromResult(_reader.Has(descriptor.Digest) ? Document(descriptor) : null);

    private ImageDocument Document(Descriptor descriptor)
    {
        byte[] bytes = _reader.ReadDocument(descriptor);
        return new ImageDocument(OciJson.PeekMediaType(bytes) ?? descriptor.MediaType, bytes, descriptor.Digest);
    }

    public Task<byte[]> GetConfigAsync(Descriptor descriptor, CancellationToken cancellationToken) => Task.FromResult(_reader.ReadDocument(descriptor));

    public string DescribeWhereMissing()
    {
        string known = _reader.RefNames.Count == 0 ? "none" : string.Join(", ", _reader.RefNames);
        return _refName is null
            ? $"the layout at '{_reader.Root}' holds {_reader.Index.Manifests.Count(m => m.ArtifactType is null)} images, not one; name one as {Scheme}<path>:<ref> (refs: {known})"
            : $"the layout at '{_reader.Root}' has no image named '{_refName}' (it has: {known}); use one of those names";
    }

    /// <summary>The manifests index.json lists whose <c>subject</c> is <paramref name="subject"/>, as layout writers list referrers.</summary>
    public Task<IReadOnlyList<Descriptor>> GetReferrersAsync(Digest subject, CancellationToken cancellationToken)
    {
        var found = new List<Descriptor>();
        foreach (var entry in _reader.Index.Manifests.Where(m => m.ArtifactType is not null && MediaTypes.IsManifest(m.MediaType) && _reader.Has(m.Digest)))
        {
            if (OciJson.DeserializeManifest(_reader.ReadDocument(entry)).Subject?.Digest == subject) found.Add(entry.Clone());
        }
        return Task.FromResult<IReadOnlyList<Descriptor>>(found);
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>The path and ref name of an <c>oci:</c> or <c>oci-archive:</c> reference.</summary>
    public static (string Path, string? RefName) Split(string reference)
    {
        string rest = reference[(reference.StartsWith(ArchiveScheme, StringComparison.Ordinal) ? ArchiveScheme.Length : Scheme.Length)..];
        int colon = rest.LastIndexOf(':');
        int slash = rest.LastIndexOfAny(['/', '\\']);
        return colon > slash && colon > 1 ? (rest[..colon], rest[(colon + 1)..]) : (rest, null);
    }
}
