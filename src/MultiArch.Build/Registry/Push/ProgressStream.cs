using MultiArch.Build.Blobs;

namespace MultiArch.Build.Registry.Push;

/// <summary>
/// A read-only view of at most <c>length</c> bytes of another stream that reports how many bytes
/// were read. Uploads use it to send one chunk of a blob and to count what went over the wire.
/// </summary>
internal sealed class ProgressStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly long _length;
    private readonly Action<long> _onRead;
    private long _read;

    public ProgressStream(Stream inner, long length, Action<long> onRead)
    {
        _inner = inner;
        _length = length;
        _onRead = onRead;
    }

    public override long Length => _length;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = _inner.Read(buffer[..Allowed(buffer.Length)]);
        return Count(n);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await _inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken).ConfigureAwait(false);
        return Count(n);
    }

    private int Allowed(int wanted) => (int)Math.Min(wanted, _length - _read);

    private int Count(int n)
    {
        _read += n;
        if (n > 0) _onRead(n);
        return n;
    }

    /// <summary>Skips <paramref name="count"/> bytes of a stream that may not seek (a resumed upload starts mid-blob; a resumed download from a registry that ignores Range starts at byte 0).</summary>
    public static async Task SkipAsync(Stream stream, long count, CancellationToken cancellationToken)
    {
        if (count == 0) return;
        if (stream.CanSeek)
        {
            stream.Seek(count, SeekOrigin.Current);
            return;
        }
        var buffer = new byte[81920];
        for (long left = count; left > 0;)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new EndOfStreamException($"the stream ended after {count - left} of the {count} bytes to skip");
            left -= n;
        }
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
