using System.Net;
using System.Net.Http.Headers;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Registry.Transport;

namespace MultiArch.Build.Registry.Push;

/// <summary>
/// Puts one blob into a repository with as few requests as the registry allows: HEAD (present:
/// done), then a cross-repository mount when the blob lives in a sibling repository, else POST
/// and one PUT with the whole body, or PATCH chunks for large blobs. A broken upload resumes from
/// the offset the registry reports instead of starting over.
/// </summary>
internal sealed class BlobUploader
{
    private const int MaxRenewals = 10;
    private readonly RegistryClient _client;

    public BlobUploader(RegistryClient client)
    {
        _client = client;
    }

    private RegistryHttp Http => _client.Http;

    public async Task<BlobProgressState> PushAsync(ImageReference target, BlobContent blob, ImageReference? mountFrom, Action<BlobProgress> report, CancellationToken cancellationToken)
    {
        var descriptor = blob.Descriptor;
        if (await _client.BlobExistsAsync(target, descriptor.Digest, cancellationToken).ConfigureAwait(false))
            return Finish(BlobProgressState.Skipped);
        var session = await StartAsync(target, descriptor, mountFrom, cancellationToken).ConfigureAwait(false);
        if (session is null) return Finish(BlobProgressState.Mounted);
        await UploadAsync(target, blob, session, report, cancellationToken).ConfigureAwait(false);
        return Finish(BlobProgressState.Uploaded);

        BlobProgressState Finish(BlobProgressState state)
        {
            report(new BlobProgress(descriptor.Digest, state == BlobProgressState.Uploaded ? descriptor.Size : 0, descriptor.Size, state));
            return state;
        }
    }

    /// <summary>Opens an upload, or mounts the blob; null means the mount worked and nothing is left to send.</summary>
    private async Task<UploadSession?> StartAsync(ImageReference target, Descriptor descriptor, ImageReference? mountFrom, CancellationToken cancellationToken)
    {
        string path = $"v2/{target.Repository}/blobs/uploads/";
        var scope = AuthScope.Push(target.Repository);
        string operation = $"POST upload of {descriptor.Digest} to {target.Repository}";
        if (mountFrom is not null)
        {
            path += $"?mount={Uri.EscapeDataString(descriptor.Digest.ToString())}&from={Uri.EscapeDataString(mountFrom.Repository)}";
            scope = AuthScope.PushWithMount(target.Repository, mountFrom.Repository);
            operation = $"mount of {descriptor.Digest} from {mountFrom.Repository} to {target.Repository}";
        }
        var request = new RegistryRequest(target.Registry, HttpMethod.Post, _client.Endpoint(target).Api(path), scope, operation);
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created && mountFrom is not null)
        {
            CheckDigest(target, descriptor.Digest, response);
            Http.Log.Write(BuildLogLevel.Debug, $"Mounted {descriptor.Digest} from {mountFrom.Repository} into {target.Repository}.");
            return null;
        }
        if (response.StatusCode != HttpStatusCode.Accepted || response.Headers.Location is null)
            throw Protocol(target, $"answered {(int)response.StatusCode} without an upload location to {operation}");
        long? minimum = response.Headers.TryGetValues("OCI-Chunk-Min-Length", out var values) && long.TryParse(values.FirstOrDefault(), out long min) && min > 0 ? min : null;
        return new UploadSession(Resolve(target, response.Headers.Location), minimum);
    }

    private async Task<UploadSession> OpenAsync(ImageReference target, Descriptor descriptor, CancellationToken cancellationToken) =>
        await StartAsync(target, descriptor, null, cancellationToken).ConfigureAwait(false)
            ?? throw Protocol(target, $"gave no upload session for {descriptor.Digest}");

    private async Task UploadAsync(ImageReference target, BlobContent blob, UploadSession session, Action<BlobProgress> report, CancellationToken cancellationToken)
    {
        var descriptor = blob.Descriptor;
        bool chunked = descriptor.Size > _client.Options.ChunkedUploadThreshold
            || session.MinimumChunk is { } minimum && descriptor.Size > minimum;
        for (int failures = 0, renewals = 0; ; )
        {
            try
            {
                if (chunked) await SendChunksAsync(target, blob, session, report, cancellationToken).ConfigureAwait(false);
                await CloseAsync(target, blob, session, withBody: !chunked, report, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RegistryTransientException failure)
            {
                // A token that expired mid-upload is renewed already; that is no reason to wait or to give up sooner.
                bool renewed = failure.Status == HttpStatusCode.Unauthorized && ++renewals <= MaxRenewals;
                if (!renewed && ++failures >= Http.Retry.MaxAttempts) throw failure.GiveUp(failures);
                Http.Log.Write(BuildLogLevel.Info, $"{failure.Message} on {target.Registry}; resuming.");
                if (renewed) continue; // refused before any byte was taken: the same session goes on
                await Http.Retry.WaitAsync(failures + 1, null, cancellationToken).ConfigureAwait(false);
                // The last request may have landed with only its answer lost.
                if (await _client.BlobExistsAsync(target, descriptor.Digest, cancellationToken).ConfigureAwait(false)) return;
                session = (chunked ? await ResumeAsync(target, session, cancellationToken).ConfigureAwait(false) : null)
                    ?? await OpenAsync(target, descriptor, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SendChunksAsync(ImageReference target, BlobContent blob, UploadSession session, Action<BlobProgress> report, CancellationToken cancellationToken)
    {
        var descriptor = blob.Descriptor;
        long chunkSize = Math.Max(_client.Options.ChunkSize, session.MinimumChunk ?? 1);
        while (session.Offset < descriptor.Size)
        {
            long start = session.Offset;
            long length = Math.Min(chunkSize, descriptor.Size - start);
            var request = new RegistryRequest(target.Registry, new HttpMethod("PATCH"), session.Location, AuthScope.Push(target.Repository), $"PATCH chunk {start}-{start + length - 1} of {descriptor.Digest} to {target.Repository}")
            {
                Replayable = false,
                Allowed = [HttpStatusCode.RequestedRangeNotSatisfiable],
                Content = ct => OpenBodyAsync(blob, start, length, report, ct),
            };
            using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                throw new RegistryTransientException(request, $"{request.Operation} was out of step with the registry", null);
            if (response.StatusCode != HttpStatusCode.Accepted) throw Protocol(target, $"answered {(int)response.StatusCode} instead of 202 to {request.Operation}");
            if (response.Headers.Location is { } moved) session.Location = Resolve(target, moved);
            session.Offset = start + length;
        }
    }

    private async Task CloseAsync(ImageReference target, BlobContent blob, UploadSession session, bool withBody, Action<BlobProgress> report, CancellationToken cancellationToken)
    {
        var descriptor = blob.Descriptor;
        var request = new RegistryRequest(target.Registry, HttpMethod.Put, session.CloseUri(descriptor.Digest), AuthScope.Push(target.Repository), $"PUT blob {descriptor.Digest} to {target.Repository}")
        {
            Replayable = false,
            Content = withBody
                ? ct => OpenBodyAsync(blob, 0, descriptor.Size, report, ct)
                : _ => Task.FromResult<HttpContent>(new ByteArrayContent([])),
        };
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created) throw Protocol(target, $"answered {(int)response.StatusCode} instead of 201 Created to {request.Operation}");
        CheckDigest(target, descriptor.Digest, response);
    }

    /// <summary>Asks the registry how much of the upload it holds; null when the session is gone or unclear.</summary>
    private async Task<UploadSession?> ResumeAsync(ImageReference target, UploadSession session, CancellationToken cancellationToken)
    {
        var request = new RegistryRequest(target.Registry, HttpMethod.Get, session.Location, AuthScope.Push(target.Repository), $"GET upload status in {target.Repository}")
        {
            Allowed = [HttpStatusCode.NotFound, HttpStatusCode.RequestedRangeNotSatisfiable],
        };
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        long? end = response.StatusCode == HttpStatusCode.NoContent ? ParseRangeEnd(response) : null;
        // "0-0" means either nothing or one byte; a new session is cheaper than guessing.
        if (end is not > 0)
        {
            Http.Log.Write(BuildLogLevel.Info, $"The upload in {target.Repository} cannot resume (status {(int)response.StatusCode}, range {end?.ToString() ?? "none"}); starting it again.");
            return null;
        }
        if (response.Headers.Location is { } moved) session.Location = Resolve(target, moved);
        session.Offset = end.Value + 1;
        Http.Log.Write(BuildLogLevel.Info, $"Resuming upload in {target.Repository} at byte {session.Offset}.");
        return session;
    }

    private static long? ParseRangeEnd(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Range", out var values)) return null;
        string range = values.First();
        if (range.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) range = range[6..];
        int dash = range.IndexOf('-');
        return dash > 0 && long.TryParse(range[(dash + 1)..], out long end) ? end : null;
    }

    private static async Task<HttpContent> OpenBodyAsync(BlobContent blob, long start, long length, Action<BlobProgress> report, CancellationToken cancellationToken)
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
        if (length != blob.Descriptor.Size || start != 0)
            content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + length - 1}");
        return content;
    }

    private Uri Resolve(ImageReference target, Uri location) =>
        location.IsAbsoluteUri ? location : new Uri(_client.Endpoint(target).BaseUri, location);

    private static void CheckDigest(ImageReference target, Digest expected, HttpResponseMessage response)
    {
        if (RegistryClient.DigestHeader(response) is { } stored && stored != expected)
            throw new MabException(ErrorCode.RegistryDigestMismatch, $"Registry {target.Registry} stored blob {expected} in {target.Repository} as {stored}. The content changed on the way; try again, and check any proxy in between.");
    }

    private static MabException Protocol(ImageReference target, string what) =>
        new(ErrorCode.RegistryProtocolError, $"Registry {target.Registry} {what}. Check that it implements the OCI distribution spec, or report it to its maintainers.");
}
