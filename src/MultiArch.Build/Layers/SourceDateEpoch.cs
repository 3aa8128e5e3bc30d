using System.Globalization;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Layers;

/// <summary>
/// SOURCE_DATE_EPOCH, the reproducible-builds convention for "the time this build is from" (e.g. the last
/// commit's time). One reader for layer mtimes and config/annotation times, so an invalid value is the same
/// coded error everywhere rather than a silent fallback in one place.
/// </summary>
public static class SourceDateEpoch
{
    public const string Variable = "SOURCE_DATE_EPOCH";

    /// <summary>Seconds since the Unix epoch, or null when unset; anything else is a coded error.</summary>
    public static long? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds <= LayerWriterOptions.MaxMtime)
            return seconds;
        throw new MabException(ErrorCode.LayerInvalidMtime,
            $"SOURCE_DATE_EPOCH is '{value}', which is not a whole number of seconds between 0 and {LayerWriterOptions.MaxMtime}. Set it to a Unix timestamp such as the last commit's (git log -1 --format=%ct), or unset it.");
    }

    public static long? FromEnvironment() => Parse(Environment.GetEnvironmentVariable(Variable));
}
