using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Tool;

/// <summary>
/// The core's log on stderr, filtered by verbosity, so stdout holds only results (a report, a digest) that
/// scripts capture. Warnings and errors look like the compiler's: <c>warning MAB3101: …</c>, <c>error MAB4020: …</c>.
/// The core writes from parallel uploads, so lines are written whole under a lock.
/// </summary>
internal sealed class ConsoleBuildLog(TextWriter error, Verbosity verbosity) : IBuildLog
{
    private readonly object _lock = new();

    public Verbosity Verbosity => verbosity;

    public void Write(BuildLogLevel level, string message)
    {
        if (!verbosity.Shows(level)) return;
        Line(level == BuildLogLevel.Warning ? $"warning: {message}" : message);
    }

    public void Warning(string code, string message) => Line($"warning {code}: {message}");

    public void Error(string code, string message) => Line($"error {code}: {message}");

    /// <summary>A line shown at any verbosity.</summary>
    public void Line(string text)
    {
        lock (_lock) error.WriteLine(text);
    }
}
