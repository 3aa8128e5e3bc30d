namespace MultiArch.Build.Registry.Push;

/// <summary>An open blob upload on the registry: where to send the next bytes, and how many it already has.</summary>
internal sealed class UploadSession
{
    public UploadSession(Uri location, long? minimumChunk)
    {
        Location = location;
        MinimumChunk = minimumChunk;
    }

    /// <summary>The upload URL; the registry may move it after every chunk.</summary>
    public Uri Location { get; private set; }

    /// <summary>The registry's OCI-Chunk-Min-Length, when it sent one: the smallest chunk it takes, not a reason to send chunks.</summary>
    public long? MinimumChunk { get; }

    /// <summary>Bytes the registry has accepted so far.</summary>
    public long Offset { get; set; }

    /// <summary>Whether a PATCH went to this session, so after a break the registry's Range is worth asking for.</summary>
    public bool SentChunks { get; set; }

    /// <summary>Follows a Location the registry answered with (relative to the upload URL); null keeps the current one.</summary>
    public void MoveTo(Uri? location)
    {
        if (location is not null) Location = location.IsAbsoluteUri ? location : new Uri(Location, location);
    }

    /// <summary>The location with <c>digest=</c> added to its query, which closes the upload.</summary>
    public Uri CloseUri(Oci.Digest digest)
    {
        var builder = new UriBuilder(Location);
        string query = builder.Query.TrimStart('?');
        builder.Query = (query.Length == 0 ? "" : query + "&") + "digest=" + Uri.EscapeDataString(digest.ToString());
        return builder.Uri;
    }
}
