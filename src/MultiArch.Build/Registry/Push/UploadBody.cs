using System.Net.Http.Headers;
using MultiArch.Build.Images;

namespace MultiArch.Build.Registry.Push;

/// <summary>The body of an upload request: a range of a blob read from its source, counted as it goes out.</summary>
internal static class UploadBody
{
    /// <summary>
    /// Opens <paramref name="length"/> bytes of the blob from <paramref name="start"/>. A chunk carries Content-Range in
    /// the spec's <c>&lt;start&gt;-&lt;end&gt;</c> form (ACR refuses .NET's <c>bytes 0-N/*</c>); a whole upload carries none.
    /// </summary>
    public static async Task<HttpContent> OpenAsync(BlobContent blob, long start, long length, bool chunk, Action<BlobProgress> report, CancellationToken cancellationToken)
    {
        var source = await blob.Source.OpenReadAsync(blob.Descriptor, cancellationToken).ConfigureAwait(false);
        try
        {
            await ProgressStream.SkipAsync(source, start, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        long done = start;
        var body = new ProgressStream(source, length, n =>
        {
            done += n;
            report(new BlobProgress(blob.Descriptor.Digest, done, blob.Descriptor.Size, BlobProgressState.Uploading));
        });
        var content = new StreamContent(body, 1 << 16);
        content.Headers.ContentLength = length;
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (chunk) content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + length - 1}");
        return content;
    }

    /// <summary>An empty body (the PUT that closes a chunked upload).</summary>
    public static Task<HttpContent> Empty(CancellationToken cancellationToken) => Task.FromResult<HttpContent>(new ByteArrayContent([]));
}
