using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Tool.Tests;

public sealed class ConsoleBuildLogTests
{
    [Theory]
    [InlineData("quiet", "warning: w")]
    [InlineData("normal", "i|warning: w")]
    [InlineData("detailed", "d|i|warning: w")]
    public void TheVerbosityChoosesTheLines(string verbosity, string expected)
    {
        var error = new StringWriter();
        var log = new ConsoleBuildLog(error, Verbosities.Parse(verbosity));

        log.Write(BuildLogLevel.Debug, "d");
        log.Write(BuildLogLevel.Info, "i");
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
}
