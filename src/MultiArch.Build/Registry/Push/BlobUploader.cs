using System.Net;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Registry.Transport;

namespace MultiArch.Build.Registry.Push;

/// <summary>
/// Puts one blob into a repository with as few requests as the registry allows: HEAD (present: done), then a
/// cross-repository mount when the blob lives in a sibling repository, else POST and one PUT with the whole body,
/// which every registry takes. Chunks (PATCH) are used only when asked for, or for a blob whose whole upload broke
/// mid-body twice, so that the next break resumes from the registry's Range instead of starting over; a registry that
/// refuses or drops chunks gets whole uploads again.
/// </summary>
internal sealed class BlobUploader
{
    private const int MaxRenewals = 10;
    /// <summary>Whole uploads of one blob that may break mid-body before it goes on in chunks.</summary>
    private const int BreaksBeforeChunks = 2;
    private readonly RegistryClient _client;
    private readonly UploadCapabilities _capabilities;
    private readonly ChunkedUpload _chunks;

    public BlobUploader(RegistryClient client)
    {
        _client = client;
        _capabilities = new UploadCapabilities(client.Options.ChunkSize);
        _chunks = new ChunkedUpload(client, _capabilities);
    }

    private RegistryHttp Http => _client.Http;

    public async Task<BlobProgressState> PushAsync(ImageReference target, BlobContent blob, ImageReference? mountFrom, Action<BlobProgress> report, CancellationToken cancellationToken)
    {
        var descriptor = blob.Descriptor;
        if (await _client.BlobExistsAsync(target, descriptor, cancellationToken).ConfigureAwait(false))
            return Finish(BlobProgressState.Skipped);
        var session = await MountOrStartAsync(target, descriptor, mountFrom, cancellationToken).ConfigureAwait(false);
        if (session is null) return Finish(BlobProgressState.Mounted);
        await UploadAsync(target, blob, session, report, cancellationToken).ConfigureAwait(false);
        return Finish(BlobProgressState.Uploaded);

        BlobProgressState Finish(BlobProgressState state)
        {
            report(new BlobProgress(descriptor.Digest, state == BlobProgressState.Uploaded ? descriptor.Size : 0, descriptor.Size, state));
            return state;
        }
    }

    /// <summary>
    /// Opens an upload, or mounts the blob; null means the mount worked and nothing is left to send. A mount always
    /// names the repository it comes from: Quay refuses <c>mount=</c> without <c>from=</c>.
    /// </summary>
    private async Task<UploadSession?> StartAsync(ImageReference target, Descriptor descriptor, ImageReference? mountFrom, CancellationToken cancellationToken)
    {
        string path = $"v2/{target.Repository}/blobs/uploads/";
        var scope = AuthScope.Push(target.Repository);
        string operation = $"POST upload of {descriptor.Digest} to {target.Repository}";
        bool mounting = mountFrom is { Repository.Length: > 0 };
        if (mounting)
        {
            path += $"?mount={Uri.EscapeDataString(descriptor.Digest.ToString())}&from={Uri.EscapeDataString(mountFrom!.Repository)}";
            scope = AuthScope.PushWithMount(target.Repository, mountFrom.Repository);
            operation = $"mount of {descriptor.Digest} from {mountFrom.Repository} to {target.Repository}";
        }
        var uri = _client.Endpoint(target).Api(path);
        var request = new RegistryRequest(target.Registry, HttpMethod.Post, uri, scope, operation);
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created && mounting)
        {
            CheckDigest(target, descriptor.Digest, response);
            Http.Log.Write(BuildLogLevel.Debug, $"Mounted {descriptor.Digest} from {mountFrom!.Repository} into {target.Repository}.");
            return null;
        }
        if (response.StatusCode != HttpStatusCode.Accepted || response.Headers.Location is not { } location)
            throw Protocol(target, $"answered {(int)response.StatusCode} without an upload location to {operation}");
        long? minimum = response.Headers.TryGetValues("OCI-Chunk-Min-Length", out var values) && long.TryParse(values.FirstOrDefault(), out long min) && min > 0 ? min : null;
        return new UploadSession(location.IsAbsoluteUri ? location : new Uri(uri, location), minimum);
    }

    /// <summary>
    /// Mounts the blob when it comes from a sibling repository, else opens an upload. A mount is only a shortcut: when
    /// the registry denies it (the push account may not read the repository the blob comes from), the blob is uploaded.
    /// </summary>
    private async Task<UploadSession?> MountOrStartAsync(ImageReference target, Descriptor descriptor, ImageReference? mountFrom, CancellationToken cancellationToken)
    {
        try
        {
            return await StartAsync(target, descriptor, mountFrom, cancellationToken).ConfigureAwait(false);
        }
        catch (MabException denied) when (mountFrom is not null && denied.Code == ErrorCode.RegistryAccessDenied)
        {
            Http.Log.Write(BuildLogLevel.Info, $"Registry {target.Registry} denied mounting {descriptor.Digest} from {mountFrom.Repository} into {target.Repository}; uploading it instead.");
            return await OpenAsync(target, descriptor, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<UploadSession> OpenAsync(ImageReference target, Descriptor descriptor, CancellationToken cancellationToken) =>
        await StartAsync(target, descriptor, null, cancellationToken).ConfigureAwait(false)
            ?? throw Protocol(target, $"gave no upload session for {descriptor.Digest}");

    private async Task UploadAsync(ImageReference target, BlobContent blob, UploadSession session, Action<BlobProgress> report, CancellationToken cancellationToken)
    {
        var descriptor = blob.Descriptor;
        bool chunked = _client.Options.ChunkedUploadThreshold is { } threshold && descriptor.Size > threshold && _capabilities.AcceptsChunks;
        for (int failures = 0, renewals = 0, breaks = 0; ;)
        {
            bool closing = !chunked;
            try
            {
                var outcome = chunked ? await _chunks.SendAsync(target, blob, session, report, cancellationToken).ConfigureAwait(false) : ChunkOutcome.Sent;
                if (outcome == ChunkOutcome.Refused)
                {
                    chunked = false;
                    session = await OpenAsync(target, descriptor, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (outcome == ChunkOutcome.Sent)
                {
                    closing = true;
                    if (await CloseAsync(target, blob, session, withBody: !chunked, report, cancellationToken).ConfigureAwait(false)) return;
                }
                // The registry lost the session: counted, so one that keeps losing uploads ends in an error.
                if (++failures >= Http.Retry.MaxAttempts)
                    throw Protocol(target, $"lost the upload of {descriptor.Digest} to {target.Repository} {failures} times");
                session = await OpenAsync(target, descriptor, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryTransientException failure)
            {
                // A token that expired mid-upload is renewed already; that is no reason to wait or to give up sooner.
                bool renewed = failure.Status == HttpStatusCode.Unauthorized && ++renewals <= MaxRenewals;
                if (!renewed && ++failures >= Http.Retry.MaxAttempts) throw failure.GiveUp(failures);
                Http.Log.Write(BuildLogLevel.Info, $"{failure.Message} on {target.Registry}; resuming.");
                if (renewed) continue; // refused before any byte was taken: the same session goes on
                if (!chunked && failure.BrokeMidBody && ++breaks >= BreaksBeforeChunks && _capabilities.AcceptsChunks)
                {
                    chunked = true;
                    Http.Log.Write(BuildLogLevel.Info, $"The whole upload of {descriptor.Digest} to {target.Registry} broke {breaks} times; sending it in chunks of {_chunks.ChunkSizeFor(session)} bytes.");
                }
                await Http.Retry.WaitAsync(failures + 1, failure.RetryAfter, cancellationToken).ConfigureAwait(false);
                // The closing PUT may have landed with only its answer lost.
                if (closing && await _client.BlobExistsAsync(target, descriptor, cancellationToken).ConfigureAwait(false)) return;
                bool resumed = chunked && session.SentChunks && await _chunks.ResumeAsync(target, session, descriptor.Size, cancellationToken).ConfigureAwait(false);
                if (!resumed) session = await OpenAsync(target, descriptor, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>PUT with <c>?digest=</c>: the whole body, or nothing after chunks. False when the registry no longer knows the session.</summary>
    private async Task<bool> CloseAsync(ImageReference target, BlobContent blob, UploadSession session, bool withBody, Action<BlobProgress> report, CancellationToken cancellationToken)
    {
        var descriptor = blob.Descriptor;
        var request = new RegistryRequest(target.Registry, HttpMethod.Put, session.CloseUri(descriptor.Digest), AuthScope.Push(target.Repository), $"PUT blob {descriptor.Digest} to {target.Repository}")
        {
            Replayable = false,
            Allowed = [HttpStatusCode.NotFound],
            Content = withBody
                ? ct => UploadBody.OpenAsync(blob, 0, descriptor.Size, chunk: false, report, ct)
                : UploadBody.Empty,
        };
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            Http.Log.Write(BuildLogLevel.Info, $"Registry {target.Registry} no longer knows the upload of {descriptor.Digest} (404); starting it again.");
            return false;
        }
        if (response.StatusCode != HttpStatusCode.Created) throw Protocol(target, $"answered {(int)response.StatusCode} instead of 201 Created to {request.Operation}");
        CheckDigest(target, descriptor.Digest, response);
        return true;
    }

    private static void CheckDigest(ImageReference target, Digest expected, HttpResponseMessage response)
    {
        if (RegistryClient.DigestHeader(response) is { } stored && stored != expected)
            throw new MabException(ErrorCode.RegistryDigestMismatch, $"Registry {target.Registry} stored blob {expected} in {target.Repository} as {stored}. The content changed on the way; try again, and check any proxy in between.");
    }

    private static MabException Protocol(ImageReference target, string what) =>
        new(ErrorCode.RegistryProtocolError, $"Registry {target.Registry} {what}. Check that it implements the OCI distribution spec, or report it to its maintainers.");
}
