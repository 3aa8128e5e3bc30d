using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Blobs;

/// <summary>
/// A content-addressed folder of blobs, laid out as <c>&lt;root&gt;/&lt;algorithm&gt;/&lt;hex&gt;</c>, which is
/// exactly the <c>blobs/</c> folder of an OCI image layout. A blob appears under its name only once
/// it is complete (written to a temp file in the same folder, then renamed), so a reader never sees
/// half a blob.
/// </summary>
public sealed class BlobStore : IBlobSource
{
    public BlobStore(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string PathFor(Digest digest) => Path.Combine(Root, digest.Algorithm, digest.Hex);

    public bool Contains(Digest digest) => File.Exists(PathFor(digest));

    public Task<Stream> OpenReadAsync(Descriptor descriptor, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(OpenRead(descriptor.Digest));

    private Stream OpenRead(Digest digest) =>
        new FileStream(PathFor(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>
    /// Creates a temp file in the store for content whose digest is not known yet. Call
    /// <see cref="Commit"/> once the digest is known, or <see cref="Abandon"/> it.
    /// </summary>
    public (string TempPath, FileStream Stream) CreateTemp()
    {
        string temp = NewTempPath();
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        return (temp, stream);
    }

    /// <summary>The name temp files start with; what is left of a write that was cut can be pruned by it.</summary>
    public const string TempPrefix = ".tmp-";

    private string NewTempPath()
    {
        string dir = Path.Combine(Root, Digest.Sha256);
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, TempPrefix + Guid.NewGuid().ToString("N"));
    }

    /// <summary>
    /// Copies a blob of another store on this machine into this one, whole or not at all, without hashing it again:
    /// both are content-addressed. Nothing happens when this store has it.
    /// </summary>
    public void CopyFrom(BlobStore from, Digest digest)
    {
        if (Contains(digest)) return;
        string temp = NewTempPath();
        try
        {
            File.Copy(from.PathFor(digest), temp);
            Commit(temp, digest);
        }
        catch
        {
            Abandon(temp);
            throw;
        }
    }

    /// <summary>Moves a finished temp file to its content address. An existing blob wins (same bytes).</summary>
    public string Commit(string tempPath, Digest digest)
    {
        string final = PathFor(digest);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        if (File.Exists(final))
        {
            File.Delete(tempPath);
            return final;
        }
        File.Move(tempPath, final, overwrite: true);
        return final;
    }

    /// <summary>
    /// Removes a temp file whose write failed; best effort, so the failure that got here is the one the
    /// caller reports, not a second one from the delete.
    /// </summary>
    public static void Abandon(string tempPath)
    {
        try { File.Delete(tempPath); }
        catch (Exception ex) when (FileSystemFailure.Is(ex)) { }
    }

    /// <summary>Stores small content (a config or manifest) and returns its descriptor.</summary>
    public Descriptor Put(string mediaType, ReadOnlySpan<byte> content)
    {
        var descriptor = Descriptor.For(mediaType, content);
        Put(descriptor, content);
        return descriptor;
    }

    /// <summary>Stores content whose descriptor the caller already computed from it; false when the store had it.</summary>
    public bool Put(Descriptor descriptor, ReadOnlySpan<byte> content)
    {
        if (Contains(descriptor.Digest)) return false;
        var (temp, stream) = CreateTemp();
        try
        {
            using (stream) stream.Write(content);
            Commit(temp, descriptor.Digest);
            return true;
        }
        catch
        {
            Abandon(temp);
            throw;
        }
    }

    /// <summary>
    /// Copies a blob from another source, hashing it on the way in (one pass) and refusing it if the digest
    /// differs. False when the store had it already.
    /// </summary>
    public async Task<bool> PutAsync(Descriptor descriptor, IBlobSource source, CancellationToken cancellationToken)
    {
        if (Contains(descriptor.Digest)) return false;
        var (temp, stream) = CreateTemp();
        try
        {
            Digest actual;
            await using (stream)
            {
                await using var input = await source.OpenReadAsync(descriptor, cancellationToken).ConfigureAwait(false);
                using var hashing = new HashingWriteStream(stream);
                await input.CopyToAsync(hashing, 1 << 16, cancellationToken).ConfigureAwait(false);
                actual = hashing.GetDigest();
            }
            if (actual != descriptor.Digest)
                throw new MabException(ErrorCode.DigestMismatch, $"Blob {descriptor.Digest} arrived with digest {actual}. The source may be corrupt; try again, and if it persists, check where it came from.");
            Commit(temp, descriptor.Digest);
            return true;
        }
        catch
        {
            Abandon(temp);
            throw;
        }
    }
}
