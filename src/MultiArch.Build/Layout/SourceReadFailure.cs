using MultiArch.Build.Blobs;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Layout;

/// <summary>
/// Marks a failure to read a blob's source (a registry, the build's blob cache) while a layout is written, so it
/// reaches the caller as the source's own error instead of passing for a failure to write the layout. Only what
/// fails on the layout's side becomes MAB1409 or MAB1410.
/// </summary>
internal sealed class SourceReadFailure : Exception
{
    private SourceReadFailure(Exception cause)
        : base(cause.Message, cause)
    {
    }

    /// <summary>A source whose open and reads mark their failures.</summary>
    public static IBlobSource Guard(IBlobSource source) => new GuardedSource(source);

    private sealed class GuardedSource(IBlobSource source) : IBlobSource
    {
        public async Task<Stream> OpenReadAsync(Descriptor descriptor, CancellationToken cancellationToken)
        {
            try
            {
                return new GuardedStream(await source.OpenReadAsync(descriptor, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new SourceReadFailure(ex);
            }
        }
    }

    private sealed class GuardedStream(Stream inner) : ReadOnlyStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new SourceReadFailure(ex);
            }
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return inner.Read(buffer, offset, count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new SourceReadFailure(ex);
            }
        }


        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
