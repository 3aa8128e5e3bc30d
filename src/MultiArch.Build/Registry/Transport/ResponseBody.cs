using System.Buffers;

namespace MultiArch.Build.Registry.Transport;

/// <summary>
/// Reads a response body whole inside the attempt that received it, so a body that breaks or stalls fails that
/// attempt (and is retried) instead of failing later in the caller. A success body is bounded by the request's
/// <see cref="RegistryRequest.MaxBodyBytes"/>; an error body is only read far enough to find the registry's error codes.
/// </summary>
internal static class ResponseBody
{
    /// <summary>Replaces the response's content with its bytes, read now.</summary>
    public static async Task BufferAsync(HttpResponseMessage response, RegistryRequest request, TimeSpan stallTimeout, CancellationToken cancellationToken)
    {
        bool success = (int)response.StatusCode < 300 || request.Allowed.Contains(response.StatusCode);
        long limit = success ? request.MaxBodyBytes : RegistryErrors.MaxBodyBytes;
        var received = response.Content;
        if (success && received.Headers.ContentLength is { } announced && announced > limit)
            throw RegistryErrors.TooLarge(request, announced, limit);

        byte[] bytes;
        bool truncated = false;
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            await using var body = StallTimeoutStream.Guard(await received.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), stallTimeout);
            using var buffer = new MemoryStream();
            while (true)
            {
                int n = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (n == 0) break;
                if (buffer.Length + n > limit)
                {
                    if (success) throw RegistryErrors.TooLarge(request, buffer.Length + n, limit);
                    buffer.Write(chunk, 0, (int)(limit - buffer.Length));
                    truncated = true;
                    break;
                }
                buffer.Write(chunk, 0, n);
            }
            bytes = buffer.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        var content = new ByteArrayContent(bytes);
        foreach (var header in received.Headers)
        {
            if (truncated && header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        response.Content = content;
        received.Dispose();
    }
}
