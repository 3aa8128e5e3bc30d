using System.Net;
using System.Net.Http.Headers;

namespace MultiArch.Build.Tests.Registry;

/// <summary>What to do to one response, as a network or a broken proxy would.</summary>
internal sealed record ResponseFault
{
    /// <summary>Answer this status instead of passing the request on.</summary>
    public HttpStatusCode? Status { get; init; }
    /// <summary>Fail the request before any answer (a reset connection).</summary>
    public bool Reset { get; init; }
    /// <summary>Break the body with a reset after this many bytes.</summary>
    public long? CutAfter { get; init; }
    /// <summary>Stop sending the body (without closing) after this many bytes.</summary>
    public long? StallAfter { get; init; }
    /// <summary>Flip the last byte of the body.</summary>
    public bool Corrupt { get; init; }

    public static ResponseFault CutAt(long bytes) => new() { CutAfter = bytes };
    public static ResponseFault StallAt(long bytes) => new() { StallAfter = bytes };
}

/// <summary>
/// Stands in front of a <see cref="FakeRegistry"/> and breaks answers the way networks do: bodies cut or stalled part
/// way, resets before an answer, 5xx, corrupted bytes. It also serves <c>Range: bytes=N-</c> on blob GETs (the fake
/// serves whole blobs only), unless <see cref="IgnoreRange"/> says to answer 200 with the whole blob as some
/// registries do. <see cref="Decide"/> picks the fault for each request.
/// </summary>
internal sealed class ResponseFaults : DelegatingHandler
{
    private readonly object _gate = new();

    public ResponseFaults(FakeRegistry registry)
        : base(registry)
    {
    }

    /// <summary>The fault for a request, or null to pass it through untouched.</summary>
    public Func<HttpRequestMessage, ResponseFault?> Decide { get; set; } = _ => null;

    public bool IgnoreRange { get; set; }

    /// <summary>The Range header of every request that had one.</summary>
    public List<string> Ranges { get; } = [];

    /// <summary>How many faults were injected.</summary>
    public int Injected { get; private set; }

    /// <summary>A decision that faults a share of the requests <paramref name="applies"/> to, from a seeded random source.</summary>
    public static Func<HttpRequestMessage, ResponseFault?> Share(double share, int seed, Func<HttpRequestMessage, bool> applies, Func<Random, ResponseFault> fault)
    {
        var random = new Random(seed);
        return request =>
        {
            if (!applies(request)) return null;
            lock (random) return random.NextDouble() < share ? fault(random) : null;
        };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? range = request.Headers.Range?.ToString();
        ResponseFault? fault;
        lock (_gate)
        {
            if (range is not null) Ranges.Add(range);
            fault = Decide(request);
            if (fault is not null) Injected++;
        }
        if (fault is { Reset: true }) throw new HttpRequestException("The connection was reset by the peer.", new IOException("Connection reset by peer"));
        if (fault is { Status: { } status }) return FakeRegistry.Error(status, "FAULT");

        var response = await base.SendAsync(request, cancellationToken);
        if (request.Method != HttpMethod.Get || response.StatusCode != HttpStatusCode.OK) return response;
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = response.Content.Headers;
        long start = 0;
        if (request.Headers.Range?.Ranges.SingleOrDefault() is { From: { } from } && !IgnoreRange && request.RequestUri!.AbsolutePath.Contains("/blobs/", StringComparison.Ordinal))
        {
            start = from;
            response.StatusCode = HttpStatusCode.PartialContent;
        }
        byte[] sent = body[(int)start..];
        if (fault is { Corrupt: true } && sent.Length > 0) sent[^1] ^= 0xFF;
        var content = new StreamContent(new FaultyBody(sent, fault));
        foreach (var header in headers)
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        content.Headers.ContentLength = sent.Length;
        if (response.StatusCode == HttpStatusCode.PartialContent) content.Headers.ContentRange = new ContentRangeHeaderValue(start, body.Length - 1, body.Length);
        response.Content = content;
        return response;
    }

    /// <summary>A body that breaks or goes silent part way, as the fault says.</summary>
    private sealed class FaultyBody(byte[] bytes, ResponseFault? fault) : Stream
    {
        private int _position;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (fault?.StallAfter is { } stall && _position >= stall) await Task.Delay(Timeout.Infinite, cancellationToken);
            if (fault?.CutAfter is { } cut && _position >= cut) throw new IOException("Unable to read data from the transport connection: Connection reset by peer.");
            long limit = Math.Min(bytes.Length, Math.Min(fault?.StallAfter ?? long.MaxValue, fault?.CutAfter ?? long.MaxValue));
            if (_position >= bytes.Length) return 0;
            int n = (int)Math.Min(buffer.Length, limit - _position);
            bytes.AsMemory(_position, n).CopyTo(buffer);
            _position += n;
            await Task.Yield();
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => bytes.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
