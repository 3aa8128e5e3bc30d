using MultiArch.Build.Layers;

namespace MultiArch.Build.Publishing;

/// <summary>
/// The creation time written into configs: SOURCE_DATE_EPOCH when set (the reproducible-builds
/// convention, e.g. the last commit's time), otherwise the Unix epoch, so that the same inputs give the
/// same digests on every machine and every day.
/// </summary>
public static class ReproducibleTime
{
    /// <param name="sourceDateEpoch">A SOURCE_DATE_EPOCH value; the environment's when null. An invalid value is a coded error.</param>
    public static DateTimeOffset Created(string? sourceDateEpoch = null) =>
        (sourceDateEpoch is null ? SourceDateEpoch.FromEnvironment() : SourceDateEpoch.Parse(sourceDateEpoch)) is { } seconds
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UnixEpoch;
}
