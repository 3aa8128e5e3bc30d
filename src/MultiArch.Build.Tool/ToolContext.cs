using System.CommandLine;

namespace MultiArch.Build.Tool;

/// <summary>What a verb works with: its parsed command line, the log (stderr), stdout for results, and the insecure registries.</summary>
internal sealed record ToolContext(ParseResult Parse, ConsoleBuildLog Log, TextWriter Output, string InsecureRegistries)
{
    /// <summary>A result line on stdout, once a progress line is erased from the terminal the two share.</summary>
    public Task ResultAsync(string line)
    {
        Log.EndProgress();
        return Output.WriteLineAsync(line);
    }
}
