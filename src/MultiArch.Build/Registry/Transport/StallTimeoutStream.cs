using MultiArch.Build.Blobs;

namespace MultiArch.Build.Registry.Transport;

/// <summary>
/// A read-only view of a response body that fails a read which gets no byte within the stall timeout. A whole-body
/// timeout would cut a large blob on a slow link; this only stops a body that has gone silent (a half-dead
/// connection, a proxy holding the socket open). The failure is a <see cref="TimeoutException"/>, which the transport
/// treats as a broken connection: retried, or resumed for a blob.
/// </summary>
internal sealed class StallTimeoutStream : ReadOnlyStream
{
    private static readonly Action<object?> CancelStall = static source => ((CancellationTokenSource)source!).Cancel();
    private readonly Stream _inner;
    private readonly TimeSpan _timeout;
    // One source for every read of the stream, armed when a read starts and reset when it ends: a blob download
    // makes thousands of reads, and a linked source and a timer per read would be as many allocations.
    private CancellationTokenSource _stall = new();

    public StallTimeoutStream(Stream inner, TimeSpan timeout)
    {
        _inner = inner;
        _timeout = timeout;
    }

    /// <summary>Guards <paramref name="inner"/> unless the timeout is zero or infinite (no guard asked for).</summary>
    public static Stream Guard(Stream inner, TimeSpan timeout) =>
        timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan ? new StallTimeoutStream(inner, timeout) : inner;

    private static string Describe(TimeSpan timeout) => $"no data arrived for {timeout.TotalSeconds:0.###} s";

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var stall = _stall;
        stall.CancelAfter(_timeout);
        try
        {
            using (cancellationToken.UnsafeRegister(CancelStall, stall))
                return await _inner.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (stall.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(Describe(_timeout), ex);
        }
        finally
        {
            // Disarms the timer until the next read; a source that has fired cannot be reset, so it is replaced.
            if (!stall.TryReset())
            {
                stall.Dispose();
                _stall = new CancellationTokenSource();
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _stall.Dispose();
        }
        base.Dispose(disposing);
    }
}
