namespace MultiArch.Build.Diagnostics;

/// <summary>How much a log line matters; hosts map it to their own levels.</summary>
public enum BuildLogLevel
{
    Debug,
    Info,
    Warning,
}

/// <summary>
/// Where the core writes what it is doing. The MSBuild tasks forward it to the build log; tests
/// capture it. Callers never pass secrets (authorization headers, tokens, passwords) to it.
/// </summary>
public interface IBuildLog
{
    void Write(BuildLogLevel level, string message);
}

/// <summary>A log that drops everything.</summary>
public sealed class NullBuildLog : IBuildLog
{
    public static readonly NullBuildLog Instance = new();

    public void Write(BuildLogLevel level, string message) { }
}
