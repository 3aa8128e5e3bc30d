using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Tool.Tests;

public sealed class ConsoleBuildLogTests
{
    [Theory]
    [InlineData("quiet", "warning: w")]
    [InlineData("normal", "i|p|warning: w")]
    [InlineData("detailed", "d|i|p|warning: w")]
    public void TheVerbosityChoosesTheLines(string verbosity, string expected)
    {
        var error = new StringWriter();
        var log = new ConsoleBuildLog(error, Verbosities.Parse(verbosity));

        log.Write(BuildLogLevel.Debug, "d");
        log.Write(BuildLogLevel.Info, "i");
        log.Write(BuildLogLevel.Progress, "p");
        log.Write(BuildLogLevel.Warning, "w");

        Assert.Equal(expected, string.Join('|', error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void CodedLinesLookLikeTheCompilers()
    {
        var error = new StringWriter();
        var log = new ConsoleBuildLog(error, Verbosity.Quiet);

        log.Warning("MAB3101", "lowered");
        log.Error("MAB4020", "missing");

        Assert.Equal($"warning MAB3101: lowered{Environment.NewLine}error MAB4020: missing{Environment.NewLine}", error.ToString());
    }

    [Fact]
    public void OnATerminalProgressIsOneLineRedrawnInPlaceAndErasedBeforeTheNextLine()
    {
        var error = new StringWriter();
        var log = new ConsoleBuildLog(error, Verbosity.Normal, liveProgress: true);

        log.Write(BuildLogLevel.Progress, "Uploading a: 1 MiB");
        log.Write(BuildLogLevel.Progress, "Uploading a: 2 MiB");
        log.Write(BuildLogLevel.Info, "Pushed 1 blob");
        log.Write(BuildLogLevel.Progress, "Uploading b: 1 MiB");
        log.EndProgress();
        log.EndProgress();

        const string clear = "\r\u001b[K";
        Assert.Equal($"{clear}Uploading a: 1 MiB{clear}Uploading a: 2 MiB{clear}Pushed 1 blob{Environment.NewLine}{clear}Uploading b: 1 MiB{clear}", error.ToString());
    }

    [Fact]
    public void OnAPipeProgressIsPlainLines()
    {
        var error = new StringWriter();
        var log = new ConsoleBuildLog(error, Verbosity.Normal);

        log.Write(BuildLogLevel.Progress, "Uploading a: 1 MiB");
        log.EndProgress();
        log.Write(BuildLogLevel.Progress, "Uploading a: 2 MiB");

        Assert.Equal($"Uploading a: 1 MiB{Environment.NewLine}Uploading a: 2 MiB{Environment.NewLine}", error.ToString());
    }

    [Fact]
    public void AWriterThatIsNotTheConsoleShowsNoLiveProgress()
    {
        Assert.False(ConsoleBuildLog.CanShowLiveProgress(new StringWriter()));
    }
}
