using System.Globalization;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry.Push;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Shows what happens to each blob of a push: one line when a blob is uploaded, mounted or found present, and
/// while an upload runs longer than <see cref="Interval"/>, a progress line (bytes sent, size, rate) at most once
/// per <see cref="Interval"/> for that blob. Short uploads print no progress, and no line is printed per chunk,
/// so a build log or binlog grows by a few lines a second at most, however large the blobs.
/// Uploads run in parallel, so reports for different blobs may come from different threads.
/// </summary>
public sealed class BlobProgressLog(IBuildLog log, TimeProvider? time = null) : IProgress<BlobProgress>
{
    /// <summary>How long an upload runs before its first progress line, and the least time between two of its lines.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<Digest, Upload> _uploads = [];

    public void Report(BlobProgress value)
    {
        string size = PublishSummary.Bytes(value.Size);
        switch (value.State)
        {
            case BlobProgressState.Uploading:
                Advance(value);
                break;
            case BlobProgressState.Uploaded:
                var upload = Forget(value.Digest);
                if (upload is { Shown: true })
                {
                    var elapsed = _time.GetElapsedTime(upload.Started);
                    log.Write(BuildLogLevel.Progress, $"Uploaded {value.Digest} ({size} in {Seconds(elapsed)}, {Rate(value.Size - upload.StartBytes, elapsed)})");
                }
                else
                {
                    log.Write(BuildLogLevel.Info, $"Uploaded {value.Digest} ({size})");
                }
                break;
            case BlobProgressState.Mounted:
                Forget(value.Digest);
                log.Write(BuildLogLevel.Info, $"Mounted {value.Digest} ({size}) from another repository");
                break;
            case BlobProgressState.Skipped:
                Forget(value.Digest);
                log.Write(BuildLogLevel.Debug, $"Already present {value.Digest} ({size})");
                break;
        }
    }

    /// <summary>Prints a progress line when the blob's last one (or its start) is at least <see cref="Interval"/> ago.</summary>
    private void Advance(BlobProgress value)
    {
        string? line = null;
        lock (_uploads)
        {
            long now = _time.GetTimestamp();
            if (!_uploads.TryGetValue(value.Digest, out var upload))
            {
                _uploads[value.Digest] = new Upload(now, value.BytesDone);
                return;
            }
            if (value.BytesDone < upload.MarkBytes)
            {
                // The upload started again (or resumed further back): measure the rate from here.
                upload.Mark(now, value.BytesDone);
                return;
            }
            var since = _time.GetElapsedTime(upload.MarkTime, now);
            if (since < Interval) return;
            line = $"Uploading {Short(value.Digest)}: {PublishSummary.Bytes(value.BytesDone)} of {PublishSummary.Bytes(value.Size)}" +
                   $" ({Percent(value.BytesDone, value.Size)}, {Rate(value.BytesDone - upload.MarkBytes, since)})";
            upload.Mark(now, value.BytesDone);
            upload.Shown = true;
        }
        log.Write(BuildLogLevel.Progress, line);
    }

    private Upload? Forget(Digest digest)
    {
        lock (_uploads)
        {
            return _uploads.Remove(digest, out var upload) ? upload : null;
        }
    }

    /// <summary>The digest as registries' tools abbreviate it: algorithm and the first 12 hex digits.</summary>
    private static string Short(Digest digest) => $"{digest.Algorithm}:{digest.Hex[..Math.Min(12, digest.Hex.Length)]}";

    private static string Percent(long done, long size) =>
        size <= 0 ? "100%" : (100 * done / size).ToString(CultureInfo.InvariantCulture) + "%";

    private static string Rate(long bytes, TimeSpan elapsed) =>
        PublishSummary.Bytes(elapsed <= TimeSpan.Zero ? 0 : (long)(Math.Max(0, bytes) / elapsed.TotalSeconds)) + "/s";

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>One running upload: when it started, and the time and byte count its rate is measured from.</summary>
    private sealed class Upload(long started, long startBytes)
    {
        public long Started { get; } = started;
        public long StartBytes { get; } = startBytes;
        public long MarkTime { get; private set; } = started;
        public long MarkBytes { get; private set; } = startBytes;
        public bool Shown { get; set; }

        public void Mark(long time, long bytes) => (MarkTime, MarkBytes) = (time, bytes);
    }
}
