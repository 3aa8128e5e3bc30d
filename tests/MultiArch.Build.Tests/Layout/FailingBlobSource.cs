using MultiArch.Build.Blobs;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Layout;

/// <summary>A blob source whose stream breaks after a few bytes, as a dropped connection or full disk would.</summary>
public sealed class FailingBlobSource : IBlobSource
{
    public Task<Stream> OpenReadAsync(Descriptor descriptor, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new BreakingStream());

    private sealed class BreakingStream : MemoryStream
    {
        private bool _served;

        public BreakingStream() : base(new byte[64]) { }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_served) throw new IOException("The blob source failed mid-transfer.");
            _served = true;
            return base.Read(buffer[..Math.Min(buffer.Length, 16)]);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));
    }
}
