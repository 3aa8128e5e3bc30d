namespace MultiArch.Build.Publishing;

/// <summary>
/// The creation time written into configs: SOURCE_DATE_EPOCH when set (the reproducible-builds
/// convention, e.g. the last commit's time), otherwise the Unix epoch, so that the same inputs give the
/// same digests on every machine and every day.
/// </summary>
public static class ReproducibleTime
{
    public static DateTimeOffset Created(string? sourceDateEpoch = null)
    {
        string? value = sourceDateEpoch ?? Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        return long.TryParse(value?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UnixEpoch;
    }
}
