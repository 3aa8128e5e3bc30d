using MultiArch.Build.Diagnostics;
using MultiArch.Build.Registry.Push;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Shows what happened to each blob of a push: one line when a blob is uploaded, mounted or found
/// present, none per chunk (the build log is no progress bar).
/// </summary>
public sealed class BlobProgressLog(IBuildLog log) : IProgress<BlobProgress>
{
    public void Report(BlobProgress value)
    {
        string size = PublishSummary.Bytes(value.Size);
        switch (value.State)
        {
            case BlobProgressState.Uploaded:
                log.Write(BuildLogLevel.Info, $"Uploaded {value.Digest} ({size})");
                break;
            case BlobProgressState.Mounted:
                log.Write(BuildLogLevel.Info, $"Mounted {value.Digest} ({size}) from another repository");
                break;
            case BlobProgressState.Skipped:
                log.Write(BuildLogLevel.Debug, $"Already present {value.Digest} ({size})");
                break;
        }
    }
}
