using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Tool;

/// <summary>How much `multiarch` says on stderr: -v quiet|normal|detailed.</summary>
internal enum Verbosity
{
    /// <summary>Warnings and errors only; the index commands print only the digest on stdout.</summary>
    Quiet,
    /// <summary>What happens step by step (each source, retries, blobs pushed, upload progress).</summary>
    Normal,
    /// <summary>Everything, credentials' sources and token requests included (never a secret), and an unexpected failure's stack trace.</summary>
    Detailed,
}

internal static class Verbosities
{
    public static readonly string[] Names = ["quiet", "normal", "detailed"];

    public static Verbosity Parse(string? name) => name switch
    {
        "quiet" => Verbosity.Quiet,
        "detailed" => Verbosity.Detailed,
        _ => Verbosity.Normal,
    };

    public static bool Shows(this Verbosity verbosity, BuildLogLevel level) => level switch
    {
        BuildLogLevel.Warning => true,
        BuildLogLevel.Info or BuildLogLevel.Progress => verbosity >= Verbosity.Normal,
        _ => verbosity >= Verbosity.Detailed,
    };
}
