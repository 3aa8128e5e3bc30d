using System.Net;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Registry.Transport;

namespace MultiArch.Build.Registry.Push;

/// <summary>How a run of PATCH chunks ended.</summary>
internal enum ChunkOutcome
{
    /// <summary>The registry holds every byte; a PUT closes the upload.</summary>
    Sent,
    /// <summary>The registry does not take chunks (it refused one, or dropped one it had accepted); the blob goes up whole.</summary>
    Refused,
    /// <summary>The registry no longer knows the session, or its state cannot be trusted; a new session is needed.</summary>
    SessionLost,
}

/// <summary>
/// Sends a blob in PATCH chunks, each with <c>Content-Range: &lt;start&gt;-&lt;end&gt;</c>. A chunk counts when the
/// registry answers 202 (or 201, as ECR does) and its Range covers it. On 416 the registry's own view (GET on the
/// upload location) decides: it holds other bytes than expected, so go on from its Range; it holds exactly what was
/// sent before, so the chunk itself was refused (GHCR takes at most 4 MiB per request) and a smaller one follows.
/// </summary>
internal sealed class ChunkedUpload
{
    private const int MaxOutOfStep = 8;
    private static readonly HttpMethod Patch = new("PATCH");
    private static readonly HttpStatusCode[] Refusals =
    [
        HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed, HttpStatusCode.LengthRequired,
        HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType, HttpStatusCode.RequestedRangeNotSatisfiable,
        HttpStatusCode.NotImplemented,
    ];

    private readonly RegistryClient _client;
    private readonly UploadCapabilities _capabilities;

    public ChunkedUpload(RegistryClient client, UploadCapabilities capabilities)
    {
        _client = client;
        _capabilities = capabilities;
    }

    private RegistryHttp Http => _client.Http;

    /// <summary>The chunk size for this session: what the registry has accepted so far, never under its OCI-Chunk-Min-Length.</summary>
    public long ChunkSizeFor(UploadSession session) => Math.Max(_capabilities.ChunkSize, session.MinimumChunk ?? 1);

    /// <summary>Sends the chunks from <see cref="UploadSession.Offset"/> to the end of the blob.</summary>
    public async Task<ChunkOutcome> SendAsync(ImageReference target, BlobContent blob, UploadSession session, Action<BlobProgress> report, CancellationToken cancellationToken)
    {
        long size = blob.Descriptor.Size;
        for (int outOfStep = 0; session.Offset < size;)
        {
            long start = session.Offset;
            long length = Math.Min(ChunkSizeFor(session), size - start);
            var request = new RegistryRequest(target.Registry, Patch, session.Location, AuthScope.Push(target.Repository), $"PATCH chunk {start}-{start + length - 1} of {blob.Descriptor.Digest} to {target.Repository}")
            {
                Replayable = false,
                Allowed = Refusals,
                Content = ct => UploadBody.OpenAsync(blob, start, length, chunk: true, report, ct),
            };
            session.SentChunks = true;
            using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var status = response.StatusCode;
            if (status is HttpStatusCode.Accepted or HttpStatusCode.Created)
            {
                session.MoveTo(response.Headers.Location);
                if (ParseRangeEnd(response) is not { } end || end == start + length - 1)
                {
                    session.Offset = start + length;
                    continue;
                }
                // The answer's Range does not cover the chunk (ECR's stays at the first chunk): ask where the upload stands.
                long? held = await HeldAsync(target, session, cancellationToken).ConfigureAwait(false);
                if (held > start && held <= size)
                {
                    session.Offset = held.Value;
                    continue;
                }
                return Refuse(target, $"answered {(int)status} to {request.Operation} but did not keep the chunk");
            }
            if (status == HttpStatusCode.NotFound) return SessionLost(target, $"no longer knows the upload ({request.Operation} answered 404)");
            if (status is not (HttpStatusCode.RequestedRangeNotSatisfiable or HttpStatusCode.RequestEntityTooLarge))
                return Refuse(target, $"answered {(int)status} to {request.Operation}");

            long? holds = await HeldAsync(target, session, cancellationToken).ConfigureAwait(false);
            if (holds == start)
            {
                // In step, so the chunk itself was refused: send smaller ones (for every later blob too).
                if (!_capabilities.Shrink(length, session.MinimumChunk ?? 0)) return Refuse(target, $"refused chunks down to {length} bytes ({(int)status})");
                Http.Log.Write(BuildLogLevel.Info, $"Registry {target.Registry} refused a {length}-byte chunk ({(int)status}); sending chunks of {ChunkSizeFor(session)} bytes.");
                continue;
            }
            if (holds is not > 0 || holds > size || ++outOfStep > MaxOutOfStep)
                return SessionLost(target, $"answered {(int)status} to {request.Operation} and reports no usable upload state");
            Http.Log.Write(BuildLogLevel.Info, $"Registry {target.Registry} was at byte {holds} of the upload, not {start} ({(int)status}); resuming there.");
            session.Offset = holds.Value;
        }
        return ChunkOutcome.Sent;
    }

    /// <summary>After a broken request, goes on from the bytes the registry holds; false when the session is gone or unclear.</summary>
    public async Task<bool> ResumeAsync(ImageReference target, UploadSession session, long size, CancellationToken cancellationToken)
    {
        long? held = await HeldAsync(target, session, cancellationToken).ConfigureAwait(false);
        // "0-0" means either nothing or one byte; a new session is cheaper than guessing.
        if (held is not > 0 || held > size)
        {
            Http.Log.Write(BuildLogLevel.Info, $"The upload in {target.Repository} cannot resume (registry holds {held?.ToString() ?? "nothing usable"}); starting it again.");
            return false;
        }
        session.Offset = held.Value;
        Http.Log.Write(BuildLogLevel.Info, $"Resuming upload in {target.Repository} at byte {session.Offset}.");
        return true;
    }

    /// <summary>
    /// How many bytes the registry holds for the upload (GET on its location: 204 with <c>Range: 0-&lt;end&gt;</c>);
    /// 0 for "0-0" or no Range, null when the registry no longer knows the session.
    /// </summary>
    private async Task<long?> HeldAsync(ImageReference target, UploadSession session, CancellationToken cancellationToken)
    {
        var request = new RegistryRequest(target.Registry, HttpMethod.Get, session.Location, AuthScope.Push(target.Repository), $"GET upload status in {target.Repository}")
        {
            Allowed = [HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed, HttpStatusCode.RequestedRangeNotSatisfiable],
        };
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode >= 300) return null;
        session.MoveTo(response.Headers.Location);
        return ParseRangeEnd(response) is { } end and > 0 ? end + 1 : 0;
    }

    private static long? ParseRangeEnd(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Range", out var values)) return null;
        string range = values.First();
        if (range.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) range = range[6..];
        int dash = range.IndexOf('-');
        return dash > 0 && long.TryParse(range[(dash + 1)..], out long end) ? end : null;
    }

    private ChunkOutcome Refuse(ImageReference target, string why)
    {
        _capabilities.RefuseChunks();
        Http.Log.Write(BuildLogLevel.Info, $"Registry {target.Registry} {why}; uploading blobs whole from now on.");
        return ChunkOutcome.Refused;
    }

    private ChunkOutcome SessionLost(ImageReference target, string why)
    {
        Http.Log.Write(BuildLogLevel.Info, $"Registry {target.Registry} {why}; starting the upload again.");
        return ChunkOutcome.SessionLost;
    }
}
