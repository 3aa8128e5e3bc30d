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
}
