using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Tool;

/// <summary>
/// The core's log on stderr, filtered by verbosity, so stdout holds only results (a report, a digest) that
/// scripts capture. Warnings and errors look like the compiler's: <c>warning MAB3101: …</c>, <c>error MAB4020: …</c>.
/// On a terminal, progress (bytes and rate of an upload) is one line that each report redraws in place; on a pipe
/// or in CI every progress report is a plain line (the core already sends at most about one a second per upload).
/// The core writes from parallel uploads, so lines are written whole under a lock.
/// </summary>
internal sealed class ConsoleBuildLog(TextWriter error, Verbosity verbosity, bool liveProgress = false) : IBuildLog
{
    // Carriage return, then erase to the end of the line (VT100, which every terminal .NET runs in understands).
    private const string ClearLine = "\r\u001b[K";
    private readonly object _lock = new();
    private bool _progressShown;

    public Verbosity Verbosity => verbosity;

    public void Write(BuildLogLevel level, string message)
    {
        if (!verbosity.Shows(level)) return;
        if (level == BuildLogLevel.Progress && liveProgress)
        {
            lock (_lock)
            {
                error.Write(ClearLine + Fit(message));
                error.Flush();
                _progressShown = true;
            }
            return;
        }
        Line(level == BuildLogLevel.Warning ? $"warning: {message}" : message);
    }

    public void Warning(string code, string message) => Line($"warning {code}: {message}");

    public void Error(string code, string message) => Line($"error {code}: {message}");

    /// <summary>A line shown at any verbosity.</summary>
    public void Line(string text)
    {
        lock (_lock)
        {
            EndProgress();
            error.WriteLine(text);
        }
    }

    /// <summary>Erases the progress line, so what comes next (results on stdout, which shares the terminal) starts on a clean line.</summary>
    public void EndProgress()
    {
        lock (_lock)
        {
            if (!_progressShown) return;
            error.Write(ClearLine);
            error.Flush();
            _progressShown = false;
        }
    }

    /// <summary>Whether the console can show progress in place: stderr is a terminal, and no CI system reads it as a log.</summary>
    public static bool CanShowLiveProgress(TextWriter error) =>
        ReferenceEquals(error, Console.Error)
        && !Console.IsErrorRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
        && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>The line cut to the terminal's width: a line that wraps cannot be redrawn in place.</summary>
    private static string Fit(string message)
    {
        int width;
        try
        {
            width = Console.WindowWidth;
        }
        catch (IOException)
        {
            return message;
        }
        return width > 1 && message.Length >= width ? message[..(width - 2)] + "…" : message;
    }
}
