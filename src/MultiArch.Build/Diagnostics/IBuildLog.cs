namespace MultiArch.Build.Diagnostics;

/// <summary>How much a log line matters; hosts map it to their own levels.</summary>
public enum BuildLogLevel
{
    Debug,
    Info,
    Warning,
    /// <summary>
    /// How far a long operation has come (bytes and rate of an upload). The writer throttles these lines (about one a
    /// second per operation, none for a short one), and hosts show them where the user is watching: the
    /// MSBuild tasks at the importance a default `dotnet publish` prints.
    /// </summary>
    Progress,
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
