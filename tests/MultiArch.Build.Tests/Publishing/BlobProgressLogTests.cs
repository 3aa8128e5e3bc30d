using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;
using MultiArch.Build.Registry.Push;

namespace MultiArch.Build.Tests.Publishing;

public class BlobProgressLogTests
{
    private sealed class Lines : IBuildLog
    {
        public List<(BuildLogLevel Level, string Text)> Written { get; } = [];
        public void Write(BuildLogLevel level, string message) => Written.Add((level, message));
    }

    [Fact]
    public void OneLinePerFinishedBlobAndNonePerChunk()
    {
        var log = new Lines();
        var progress = new BlobProgressLog(log);
        var digest = Digest.Compute("x"u8);
        progress.Report(new BlobProgress(digest, 1024, 4096, BlobProgressState.Uploading));
        progress.Report(new BlobProgress(digest, 4096, 4096, BlobProgressState.Uploaded));
        progress.Report(new BlobProgress(digest, 0, 2 * 1024 * 1024, BlobProgressState.Mounted));
        progress.Report(new BlobProgress(digest, 0, 10, BlobProgressState.Skipped));

        Assert.Equal(3, log.Written.Count);
        Assert.Equal((BuildLogLevel.Info, $"Uploaded {digest} (4.0 KiB)"), log.Written[0]);
        Assert.Equal((BuildLogLevel.Info, $"Mounted {digest} (2.0 MiB) from another repository"), log.Written[1]);
        Assert.Equal(BuildLogLevel.Debug, log.Written[2].Level);
    }

    /// <summary>A clock that moves only when told, for the stopwatch-style timestamps progress is measured with.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    private const long MiB = 1024 * 1024;

    /// <summary>Sends <paramref name="size"/> bytes in 64 KiB reads at <paramref name="bytesPerSecond"/>, as the upload body reports them.</summary>
    private static void Upload(BlobProgressLog progress, SteppedClock clock, Digest digest, long size, long bytesPerSecond, long until = -1)
    {
        const long read = 64 * 1024;
        for (long done = 0; done < (until < 0 ? size : until);)
        {
            long n = Math.Min(read, size - done);
            clock.Advance(TimeSpan.FromSeconds((double)n / bytesPerSecond));
            done += n;
            progress.Report(new BlobProgress(digest, done, size, BlobProgressState.Uploading));
        }
    }

    [Fact]
    public void ALongUploadShowsBytesAndRateAboutOnceASecondAndHowLongItTook()
    {
        var log = new Lines();
        var clock = new SteppedClock();
        var progress = new BlobProgressLog(log, clock);
        var digest = Digest.Compute("big"u8);

        Upload(progress, clock, digest, 20 * MiB, 4 * MiB); // five seconds
        progress.Report(new BlobProgress(digest, 20 * MiB, 20 * MiB, BlobProgressState.Uploaded));

        var lines = log.Written.Where(w => w.Level == BuildLogLevel.Progress).Select(w => w.Text).ToList();
        Assert.InRange(lines.Count - 1, 4, 5);
        Assert.Equal($"Uploading sha256:{digest.Hex[..12]}: 4.1 MiB of 20.0 MiB (20%, 4.0 MiB/s)", lines[0]);
        Assert.All(lines[..^1], line => Assert.EndsWith("4.0 MiB/s)", line));
        Assert.Equal($"Uploaded {digest} (20.0 MiB in 5.0 s, 4.0 MiB/s)", lines[^1]);
        Assert.DoesNotContain(log.Written, w => w.Level == BuildLogLevel.Info);
    }

    [Fact]
    public void AnUploadShorterThanTheIntervalShowsNoProgress()
    {
        var log = new Lines();
        var clock = new SteppedClock();
        var progress = new BlobProgressLog(log, clock);
        var digest = Digest.Compute("small"u8);

        Upload(progress, clock, digest, 3 * MiB, 4 * MiB);
        progress.Report(new BlobProgress(digest, 3 * MiB, 3 * MiB, BlobProgressState.Uploaded));

        Assert.Equal([(BuildLogLevel.Info, $"Uploaded {digest} (3.0 MiB)")], log.Written);
    }

    [Fact]
    public void ParallelUploadsAreThrottledEachOnItsOwnAndARestartMeasuresTheRateAfresh()
    {
        var log = new Lines();
        var clock = new SteppedClock();
        var progress = new BlobProgressLog(log, clock);
        var a = Digest.Compute("a"u8);
        var b = Digest.Compute("b"u8);

        // Interleaved reads of two blobs, each at 2 MiB/s; then blob a starts over from byte 0 at 1 MiB/s.
        for (long done = 64 * 1024; done <= 6 * MiB; done += 64 * 1024)
        {
            clock.Advance(TimeSpan.FromSeconds(1.0 / 32));
            progress.Report(new BlobProgress(a, done, 8 * MiB, BlobProgressState.Uploading));
            progress.Report(new BlobProgress(b, done, 6 * MiB, BlobProgressState.Uploading));
        }
        Upload(progress, clock, a, 8 * MiB, 1 * MiB, until: 2 * MiB);

        var ofA = log.Written.Select(w => w.Text).Where(t => t.Contains(a.Hex[..12])).ToList();
        var ofB = log.Written.Select(w => w.Text).Where(t => t.Contains(b.Hex[..12])).ToList();
        Assert.InRange(ofB.Count, 2, 3);
        Assert.All(ofB, line => Assert.EndsWith("2.0 MiB/s)", line));
        Assert.Equal(ofB.Count + 1, ofA.Count);
        Assert.EndsWith(": 1.1 MiB of 8.0 MiB (13%, 1.0 MiB/s)", ofA[^1]);
    }
}
