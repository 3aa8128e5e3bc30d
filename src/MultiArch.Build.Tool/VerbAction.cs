using System.CommandLine;

namespace MultiArch.Build.Tool;

/// <summary>
/// Runs one verb the same way every time: a log at the chosen verbosity (with progress redrawn in place on a
/// terminal), coded errors on stderr with exit code 1,
/// and Ctrl+C (which cancels the token) as exit code 130.
/// </summary>
internal sealed class VerbAction(GlobalOptions options, string verb, Func<ToolContext, CancellationToken, Task> body)
{
    public async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var configuration = parse.InvocationConfiguration;
        var log = new ConsoleBuildLog(configuration.Error, Verbosities.Parse(parse.GetValue(options.Verbosity)), ConsoleBuildLog.CanShowLiveProgress(configuration.Error));
        try
        {
            await body(new ToolContext(parse, log, configuration.Output, options.InsecureRegistryList(parse)), cancellationToken).ConfigureAwait(false);
            log.EndProgress();
            return ExitCodes.Success;
        }
        catch (Exception failure) when (ToolFailures.IsCancel(failure, cancellationToken))
        {
            log.Line("Canceled; nothing more was sent.");
            return ExitCodes.Canceled;
        }
        catch (Exception failure)
        {
            foreach (var coded in ToolFailures.Coded(failure, verb)) log.Error(coded.Code, coded.Message);
            if (log.Verbosity == Verbosity.Detailed) log.Line(failure.ToString());
            return ExitCodes.Failed;
        }
    }
}
