namespace MultiArch.Build.Registry.Push;

/// <summary>
/// What a registry has shown about chunked uploads during one push, shared by the blobs that upload in parallel:
/// whether it takes chunks at all (Google Artifact Registry does not; ECR drops chunks after the first), and the
/// largest chunk it has not refused as too large (GHCR refuses requests over 4 MiB).
/// </summary>
internal sealed class UploadCapabilities
{
    /// <summary>No chunk is halved below this, whatever the registry refuses; below it, whole uploads are cheaper.</summary>
    public const long SmallestChunk = 256 * 1024;

    private long _chunkSize;
    private volatile bool _refusesChunks;

    public UploadCapabilities(long chunkSize)
    {
        _chunkSize = Math.Max(1, chunkSize);
    }

    public bool AcceptsChunks => !_refusesChunks;

    /// <summary>The chunk size to use now: the configured one, or less once the registry refused a larger chunk.</summary>
    public long ChunkSize => Interlocked.Read(ref _chunkSize);

    public void RefuseChunks() => _refusesChunks = true;

    /// <summary>Halves the chunk size below a chunk the registry refused as too large; false when that would go under <paramref name="floor"/>.</summary>
    public bool Shrink(long refused, long floor)
    {
        long next = refused / 2;
        if (next < Math.Max(floor, SmallestChunk)) return false;
        for (long current = ChunkSize; next < current; current = ChunkSize)
        {
            if (Interlocked.CompareExchange(ref _chunkSize, next, current) == current) break;
        }
        return true;
    }
}
