using System.Net;
using System.Security.Cryptography;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry.Push;
using MultiArch.Build.Registry.Transport;

namespace MultiArch.Build.Registry;

/// <summary>
/// A blob's content as a registry serves it, checked while it streams: every byte is hashed on its way to the reader,
/// and the read that completes the blob fails with MAB2006 unless the blob has its descriptor's size and digest, so a
/// base layer copied into another registry, a layout or an archive is never a corrupt one. A body that breaks or
/// stalls resumes where it stopped: a new GET with <c>Range: bytes=N-</c>, or, from a registry that ignores Range
/// (it answers 200), a new GET whose first N bytes are skipped. Breaks in a row with no byte between them count
/// against the retry budget; one that made progress starts the count again, up to <see cref="MaxResumesPerTry"/>
/// resumes per try.
/// </summary>
internal sealed class RegistryBlobStream : ReadOnlyStream
{
    private const int MaxResumesPerTry = 10;

    private readonly RegistryClient _client;
    private readonly ImageReference _repository;
    private readonly Descriptor _descriptor;
    private readonly IncrementalHash _hash;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private long _position;
    private int _breaksInARow;
    private int _resumes;
    private bool _complete;

    private RegistryBlobStream(RegistryClient client, ImageReference repository, Descriptor descriptor)
    {
        _client = client;
        _repository = repository;
        _descriptor = descriptor;
        _hash = IncrementalHash.CreateHash(descriptor.Digest.Algorithm == Digest.Sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
    }

    /// <summary>Sends the first GET (so a missing blob or refused access fails here) and returns the stream over its body.</summary>
    public static async Task<Stream> OpenAsync(RegistryClient client, ImageReference repository, Descriptor descriptor, CancellationToken cancellationToken)
    {
        var stream = new RegistryBlobStream(client, repository, descriptor);
        try
        {
            await stream.RequestAsync(cancellationToken).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private RegistryHttp Http => _client.Http;

    private string Operation => $"GET blob {_descriptor.Digest} from {_repository.Repository}";

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_complete || buffer.Length == 0) return 0;
        while (true)
        {
            if (_body is null)
            {
                // A request whose skip broke leaves no body; the loop asks again.
                await RequestAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            int n;
            try
            {
                n = await _body!.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (RegistryErrors.IsConnectionFailure(ex, cancellationToken))
            {
                await BrokeAsync(ex, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (n == 0)
            {
                if (_position == _descriptor.Size) return Complete(0);
                await BrokeAsync(new IOException($"the body ended after {_position} of {_descriptor.Size} bytes"), cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (_position + n > _descriptor.Size) throw Mismatch($"more than its {_descriptor.Size} bytes");
            _hash.AppendData(buffer.Span[..n]);
            _position += n;
            _breaksInARow = 0;
            // The check comes before the last bytes are handed over, so a reader never completes a corrupt blob.
            return _position == _descriptor.Size ? Complete(n) : n;
        }
    }

    private int Complete(int n)
    {
        string hex = Convert.ToHexString(_hash.GetHashAndReset()).ToLowerInvariant();
        if (hex != _descriptor.Digest.Hex) throw Mismatch($"content whose digest is {_descriptor.Digest.Algorithm}:{hex}");
        _complete = true;
        Release();
        return n;
    }

    private MabException Mismatch(string what) =>
        new(ErrorCode.RegistryDigestMismatch,
            $"Registry {_repository.Registry} served blob {_descriptor.Digest} of {_repository.Repository} ({_descriptor.Size} bytes) with {what}. The registry or a proxy is corrupting content; try again or use another mirror.");

    /// <summary>Asks for the rest of the blob from <see cref="_position"/>, and lines the body up with it.</summary>
    private async Task RequestAsync(CancellationToken cancellationToken)
    {
        var request = new RegistryRequest(_repository.Registry, HttpMethod.Get, _client.BlobUri(_repository, _descriptor.Digest), _client.ScopeFor(_repository), Operation)
        {
            StreamsBody = true,
            Headers = _position > 0 ? [("Range", $"bytes={_position}-")] : [],
        };
        _response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        _body = StallTimeoutStream.Guard(body, Http.Options.StallTimeout);
        if (_position == 0) return;
        if (_response.StatusCode == HttpStatusCode.PartialContent)
        {
            if (_response.Content.Headers.ContentRange is { From: { } from } && from == _position) return;
            throw new MabException(ErrorCode.RegistryProtocolError,
                $"Registry {_repository.Registry} answered a request for blob {_descriptor.Digest} from byte {_position} with the range '{_response.Content.Headers.ContentRange}'. Check that it implements the distribution spec, or any proxy in between.");
        }
        if (_response.StatusCode != HttpStatusCode.OK)
        {
            throw new MabException(ErrorCode.RegistryProtocolError,
                $"Registry {_repository.Registry} answered {(int)_response.StatusCode} to {Operation}. Check that it implements the distribution spec.");
        }
        Http.Log.Write(BuildLogLevel.Debug, $"Registry {_repository.Registry} ignores Range; reading blob {_descriptor.Digest} from the start and skipping {_position} bytes.");
        await SkipAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads past the bytes already hashed; a break while skipping resumes like any other.</summary>
    private async Task SkipAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ProgressStream.SkipAsync(_body!, _position, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (RegistryErrors.IsConnectionFailure(ex, cancellationToken))
        {
            await BrokeAsync(ex, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Drops the broken body and waits before the next request; throws once the budget is spent.</summary>
    private async Task BrokeAsync(Exception failure, CancellationToken cancellationToken)
    {
        Release();
        _breaksInARow++;
        _resumes++;
        if (_breaksInARow >= Http.Retry.MaxAttempts || _resumes > MaxResumesPerTry * Http.Retry.MaxAttempts)
        {
            throw new MabException(ErrorCode.RegistryUnreachable,
                $"Reading blob {_descriptor.Digest} from registry {_repository.Registry} broke {_resumes} times, the last at byte {_position} of {_descriptor.Size}: {RegistryErrors.Describe(failure)}. Check the network and any proxy between here and the registry, then try again.",
                failure);
        }
        Http.Log.Write(BuildLogLevel.Info, $"{Operation} on {_repository.Registry} broke at byte {_position} of {_descriptor.Size} ({RegistryErrors.Describe(failure)}); resuming.");
        await Http.Retry.WaitAsync(_breaksInARow + 1, null, cancellationToken).ConfigureAwait(false);
    }

    private void Release()
    {
        _body?.Dispose();
        _body = null;
        _response?.Dispose();
        _response = null;
    }

    public override long Length => _descriptor.Size;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
