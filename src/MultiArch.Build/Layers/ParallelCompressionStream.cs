using System.Buffers;
using System.Collections.Concurrent;

namespace MultiArch.Build.Layers;

/// <summary>
/// A write-only stream that cuts what is written into fixed-size blocks, compresses them on the
/// process's shared <see cref="CompressionWorkers"/> and writes the results to <c>output</c> in order,
/// framed by a <see cref="BlockFormat"/>. The output depends only on the bytes written, never on the
/// concurrency or timing.
/// </summary>
/// <remarks>
/// At most <c>concurrency</c> of this stream's blocks are queued or compressing at once; the rest wait
/// here and go to the workers as earlier ones finish. Memory stays flat: at most twice
/// <c>concurrency</c> blocks are in flight (filled, being compressed, or waiting to be written), and a
/// writer that gets ahead waits for the oldest one. Compressed blocks are written to <c>output</c> on
/// the writer's own thread, so a hashing stream there sees them in order. Nothing goes to the workers
/// until a second block exists, so a small layer is compressed on the writer's thread alone.
/// Call <see cref="FinishAsync"/> to write the last block and the trailer; disposing without it
/// abandons the output.
/// </remarks>
internal sealed class ParallelCompressionStream : Stream
{
    private readonly Stream _output;
    private readonly BlockFormat _format;
    private readonly int _concurrency;
    private readonly int _maxInFlight;
    private readonly Queue<Block> _inFlight = new();
    private readonly Stack<Block> _free = new();
    private readonly ConcurrentBag<IBlockEncoder> _encoders = [];
    // Guards _compressing and _waiting, which the writer and the workers both change.
    private readonly object _sync = new();
    private readonly Queue<Block> _waiting = new();
    private int _compressing;
    private bool _handedOff;
    private Block _current;
    private bool _headerWritten;
    private bool _finished;
    private bool _disposed;
    private volatile bool _abandoned;

    /// <param name="concurrency">How many of this stream's blocks may compress at once (the workers may be fewer).</param>
    public ParallelCompressionStream(Stream output, BlockFormat format, int concurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        _output = output;
        _format = format;
        _concurrency = concurrency;
        _maxInFlight = 2 * concurrency;
        _current = Rent();
    }

    /// <summary>How many block buffers this stream has allocated: at most twice the concurrency, plus the one being filled.</summary>
    internal int BlocksAllocated { get; private set; }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfFinished();
        while (!buffer.IsEmpty)
        {
            if (FillsBlock(buffer.Length)) EmitUntilAsync(_maxInFlight - 1, synchronously: true).GetAwaiter().GetResult();
            buffer = buffer[Take(buffer)..];
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfFinished();
        while (!buffer.IsEmpty)
        {
            if (FillsBlock(buffer.Length)) await EmitUntilAsync(_maxInFlight - 1, synchronously: false).ConfigureAwait(false);
            buffer = buffer[Take(buffer.Span)..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Compresses what is left, writes every block in order, then the format's trailer.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        if (!_handedOff)
        {
            // Everything fits in one block (or the layer is empty): not worth a trip to the workers.
            _current.Result = Encode(_current);
            WriteBlock(_current);
            _current.Length = 0;
        }
        else if (_current.Length > 0)
        {
            await EmitUntilAsync(_maxInFlight - 1, synchronously: false).ConfigureAwait(false);
            HandOff();
        }
        await EmitUntilAsync(0, synchronously: false, cancellationToken).ConfigureAwait(false);
        _format.WriteTrailer(_output);
        _finished = true;
    }

    /// <summary>True when writing <paramref name="length"/> more bytes fills the current block, which then needs a place in flight.</summary>
    private bool FillsBlock(int length) => length >= _format.BlockSize - _current.Length;

    /// <summary>Copies what fits into the current block and hands the block off once it is full.</summary>
    private int Take(ReadOnlySpan<byte> buffer)
    {
        int taken = Math.Min(buffer.Length, _format.BlockSize - _current.Length);
        buffer[..taken].CopyTo(_current.Input.AsSpan(_current.Length));
        _current.Length += taken;
        if (_current.Length == _format.BlockSize) HandOff();
        return taken;
    }

    private void HandOff()
    {
        _handedOff = true;
        _current.Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inFlight.Enqueue(_current);
        Submit(_current);
        _current = Rent();
        // Write whatever is already compressed, so finished blocks go out as early as they can.
        while (_inFlight.TryPeek(out var oldest) && oldest.Done!.Task.IsCompleted) EmitOldest();
    }

    /// <summary>
    /// Writes the oldest blocks, waiting for each to be compressed, until at most <paramref name="left"/> are in
    /// flight. A synchronous write waits on its own thread; an asynchronous one holds no thread while it waits.
    /// </summary>
    private async ValueTask EmitUntilAsync(int left, bool synchronously, CancellationToken cancellationToken = default)
    {
        while (_inFlight.Count > left)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A failed block's error is thrown by EmitOldest, which also takes the block back.
            var done = _inFlight.Peek().Done!.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (synchronously) done.GetAwaiter().GetResult();
            else await done;
            EmitOldest();
        }
    }

    /// <summary>Writes the oldest block, which is done, or throws the error that compressing it raised.</summary>
    private void EmitOldest()
    {
        var block = _inFlight.Dequeue();
        try
        {
            block.Done!.Task.GetAwaiter().GetResult();
            WriteBlock(block);
        }
        finally
        {
            Return(block);
        }
    }

    private void WriteBlock(Block block)
    {
        if (!_headerWritten)
        {
            _format.WriteHeader(_output);
            _headerWritten = true;
        }
        _format.Add(block.Length, block.Result);
        _output.Write(block.Output.GetBuffer(), block.Result.Offset, block.Result.Length);
    }

    private void Submit(Block block)
    {
        lock (_sync)
        {
            if (_compressing == _concurrency)
            {
                _waiting.Enqueue(block);
                return;
            }
            _compressing++;
        }
        CompressionWorkers.Run(() => Compress(block));
    }

    /// <summary>Runs on a worker: compresses one block, then hands this stream's next waiting block to the workers.</summary>
    private void Compress(Block block)
    {
        try
        {
            if (_abandoned) block.Done!.TrySetCanceled();
            else
            {
                block.Result = Encode(block);
                block.Done!.TrySetResult();
            }
        }
        catch (Exception e)
        {
            block.Done!.TrySetException(e);
        }
        Block? next;
        lock (_sync)
        {
            if (!_waiting.TryDequeue(out next))
            {
                _compressing--;
                return;
            }
        }
        // To the back of the shared queue, so layers written at once take turns.
        CompressionWorkers.Run(() => Compress(next));
    }

    // An encoder serves one block at a time; this stream keeps as many as compress at once, and
    // each goes back before its block is marked done, so all are back once every block is.
    private EncodedBlock Encode(Block block)
    {
        if (!_encoders.TryTake(out var encoder)) encoder = _format.CreateEncoder();
        try
        {
            return encoder.Encode(block.Input.AsSpan(0, block.Length), block.Output);
        }
        finally
        {
            _encoders.Add(encoder);
        }
    }

    private Block Rent()
    {
        if (_free.TryPop(out var block)) return block;
        BlocksAllocated++;
        return new Block(ArrayPool<byte>.Shared.Rent(_format.BlockSize), new MemoryStream(_format.MaxCompressedSize(_format.BlockSize)));
    }

    private void Return(Block block)
    {
        block.Length = 0;
        block.Done = null;
        _free.Push(block);
    }

    private void ThrowIfFinished()
    {
        if (_finished) throw new InvalidOperationException("The compressed stream is already finished.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            // The workers drop this stream's blocks still queued; only once every block is done may
            // the buffers and encoders go.
            lock (_sync)
            {
                _abandoned = !_finished;
                while (_waiting.TryDequeue(out var waiting)) waiting.Done!.TrySetCanceled();
            }
            foreach (var block in _inFlight) WaitQuietly(block.Done!.Task);
            foreach (var encoder in _encoders) encoder.Dispose();
            _encoders.Clear();
            foreach (var block in _inFlight.Concat(_free).Append(_current)) ArrayPool<byte>.Shared.Return(block.Input);
            _inFlight.Clear();
            _free.Clear();
        }
        base.Dispose(disposing);
    }

    private static void WaitQuietly(Task task)
    {
        try { task.Wait(); }
        catch (AggregateException) { /* the failure was reported to the writer, or the block was dropped */ }
    }

    public override void Flush()
    {
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>One block's tar bytes and, once compressed, its output; reused for later blocks.</summary>
    private sealed class Block(byte[] input, MemoryStream output)
    {
        public byte[] Input { get; } = input;
        public MemoryStream Output { get; } = output;
        public int Length { get; set; }
        public EncodedBlock Result { get; set; }
        public TaskCompletionSource? Done { get; set; }
    }
}
