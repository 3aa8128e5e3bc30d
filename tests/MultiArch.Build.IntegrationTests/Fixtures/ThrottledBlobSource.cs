using MultiArch.Build.Blobs;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.IntegrationTests.Fixtures;

/// <summary>
/// Serves another source's blobs at a fixed rate, so a push of a small image lasts as long as a
/// test needs (longer than a token lives, say) without gigabytes of test data. Seeking (how an
/// upload skips to a chunk's offset) passes through unpaced: only bytes read are paced.
/// </summary>
public sealed class ThrottledBlobSource(IBlobSource inner, int bytesPerSecond) : IBlobSource
{
    public async Task<Stream> OpenReadAsync(Descriptor descriptor, CancellationToken cancellationToken) =>
        new ThrottledStream(await inner.OpenReadAsync(descriptor, cancellationToken), bytesPerSecond);

    /// <summary>The image with every blob read through a throttled source.</summary>
    public static ImageArtifact Slow(ImageArtifact image, int bytesPerSecond) =>
        new(image.Manifest, image.ManifestBytes, image.Descriptor.Platform,
            [.. image.Blobs.Select(b => b with { Source = new ThrottledBlobSource(b.Source, bytesPerSecond) })]);

    private sealed class ThrottledStream(Stream inner, int bytesPerSecond) : Stream
    {
        private const int Slice = 4096;

        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, Slice)], cancellationToken);
            if (n > 0) await Task.Delay(TimeSpan.FromSeconds((double)n / bytesPerSecond), cancellationToken);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
