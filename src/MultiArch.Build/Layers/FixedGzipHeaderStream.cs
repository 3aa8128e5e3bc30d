namespace MultiArch.Build.Layers;

/// <summary>
/// Sits under <see cref="System.IO.Compression.GZipStream"/> and makes its 10-byte gzip header
/// the same on every machine. .NET (zlib) already writes MTIME 0 and no file name, but the OS byte
/// records the system zlib was built for (3 on Linux; zlib uses other codes on Windows and macOS),
/// which would make the layer digest depend on the build host. This rewrites it to 3 (Unix), which
/// is also what the layer holds.
/// </summary>
internal sealed class FixedGzipHeaderStream(Stream inner) : Stream
{
    private const int OsByteOffset = 9;
    private const byte UnixOs = 3;
    private static readonly byte[] ExpectedStart = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00];

    private long _position;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_position > OsByteOffset || buffer.IsEmpty)
        {
            _position += buffer.Length;
            inner.Write(buffer);
            return;
        }
        byte[] copy = buffer.ToArray();
        for (int i = 0; i < copy.Length && _position + i <= OsByteOffset; i++)
            Check(_position + i, ref copy[i]);
        _position += copy.Length;
        inner.Write(copy);
    }

    // The header must be the fixed gzip start with no optional fields; anything else means the
    // compressor changed and the determinism promise can no longer be kept, so fail loudly.
    private static void Check(long offset, ref byte value)
    {
        if (offset == OsByteOffset) { value = UnixOs; return; }
        if (offset < ExpectedStart.Length && value != ExpectedStart[offset])
            throw new InvalidOperationException($"The gzip compressor wrote header byte {offset} as 0x{value:x2}; the layer writer expects a header with no mtime, name or extra fields.");
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => inner.Flush();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
