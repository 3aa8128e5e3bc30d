using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Layout;

/// <summary>
/// Reads an OCI image layout, from a directory or an archive (unpacked to a temp folder that
/// <see cref="Dispose"/> removes): the refs of <c>index.json</c>, and its blobs, each checked against its
/// descriptor. <see cref="LayoutImageSource"/> walks the images on top of it.
/// </summary>
public sealed class OciLayoutReader : IBlobSource, IDisposable
{
    // The distribution-spec lets registries refuse manifests over 4 MiB; no valid document is bigger.
    private const long MaxDocumentSize = 4 * 1024 * 1024;

    private readonly string? _ownedTemp;

    private OciLayoutReader(string root, string? ownedTemp, ImageIndex index)
    {
        Root = root;
        _ownedTemp = ownedTemp;
        Index = index;
    }

    /// <summary>The folder the layout is read from (a temp folder for an archive).</summary>
    public string Root { get; }

    /// <summary>The parsed <c>index.json</c>.</summary>
    public ImageIndex Index { get; }

    /// <summary>The ref names of <c>index.json</c>, in its order.</summary>
    public IReadOnlyList<string> RefNames =>
        Index.Manifests.Select(LayoutIndexFile.RefNameOf).OfType<string>().ToList();

    public static async Task<OciLayoutReader> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return Load(full, ownedTemp: null);
        if (!File.Exists(full))
        {
            throw new MabException(ErrorCode.LayoutNotFound,
                $"No OCI layout directory or archive exists at '{full}'. Check the path, or write the layout first.");
        }
        string temp = Path.Combine(Path.GetTempPath(), "mab-layout-" + Guid.NewGuid().ToString("N"));
        try
        {
            await LayoutArchive.ExtractAsync(full, temp, cancellationToken).ConfigureAwait(false);
            return Load(temp, ownedTemp: temp);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    private static OciLayoutReader Load(string root, string? ownedTemp)
    {
        string layoutFile = Path.Combine(root, OciLayoutFormat.LayoutFileName);
        if (!File.Exists(layoutFile))
        {
            throw new MabException(ErrorCode.NotAnOciLayout,
                $"'{root}' has no {OciLayoutFormat.LayoutFileName} file, so it is not an OCI image layout. Point at a layout directory or archive written by an OCI tool.");
        }
        OciLayoutDestination.CheckLayoutVersion(layoutFile);
        return new OciLayoutReader(root, ownedTemp, LayoutIndexFile.Read(root));
    }

    /// <summary>The <c>index.json</c> entry whose ref name is <paramref name="refName"/> (the last, as OCI tools read it), or null.</summary>
    public Descriptor? Find(string refName) => Index.Manifests.LastOrDefault(m => LayoutIndexFile.RefNameOf(m) == refName)?.Clone();

    public ImageIndex ReadIndex(Descriptor descriptor) => OciJson.DeserializeIndex(ReadDocument(descriptor));

    public ImageManifest ReadManifest(Descriptor descriptor) => OciJson.DeserializeManifest(ReadDocument(descriptor));

    public ImageConfig ReadConfig(Descriptor descriptor) => OciJson.DeserializeConfig(ReadDocument(descriptor));

    /// <summary>Whether the layout's <c>blobs/</c> folder holds the blob.</summary>
    public bool Has(Digest digest) => File.Exists(Store.PathFor(digest));

    /// <summary>A small blob's bytes, checked against the descriptor's size and digest.</summary>
    public byte[] ReadDocument(Descriptor descriptor)
    {
        string path = RequireBlob(descriptor);
        long length = new FileInfo(path).Length;
        if (length > MaxDocumentSize)
        {
            throw new MabException(ErrorCode.LayoutDocumentTooLarge,
                $"Blob {descriptor.Digest} in '{Root}' is {length} bytes, too large for a manifest, index or config (limit {MaxDocumentSize}). The layout may be corrupt; rewrite it.");
        }
        byte[] content = File.ReadAllBytes(path);
        if (content.Length != descriptor.Size || !descriptor.Digest.Matches(content))
        {
            throw new MabException(ErrorCode.LayoutBlobCorrupt,
                $"Blob {descriptor.Digest} in '{Root}' does not match its descriptor (size {content.Length}, expected {descriptor.Size}, or a different digest). The layout is corrupt; rewrite it from its source.");
        }
        return content;
    }

    public Task<Stream> OpenReadAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        RequireBlob(descriptor);
        return Store.OpenReadAsync(descriptor, cancellationToken);
    }

    // The layout's blobs/ folder is a blob store; the reader adds only the layout's own errors.
    private BlobStore Store => _store ??= new BlobStore(Path.Combine(Root, OciLayoutFormat.BlobsFolderName));
    private BlobStore? _store;

    private string RequireBlob(Descriptor descriptor)
    {
        string path = Store.PathFor(descriptor.Digest);
        if (!File.Exists(path))
        {
            throw new MabException(ErrorCode.LayoutBlobMissing,
                $"The layout at '{Root}' references blob {descriptor.Digest}, but blobs/{descriptor.Digest.Algorithm}/{descriptor.Digest.Hex} is missing. The layout is incomplete; rewrite it from its source.");
        }
        return path;
    }

    public void Dispose()
    {
        if (_ownedTemp is not null && Directory.Exists(_ownedTemp)) Directory.Delete(_ownedTemp, recursive: true);
    }
}
