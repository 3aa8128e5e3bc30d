namespace MultiArch.Build.Tasks.Contract;

/// <summary>
/// The runner could not do the task's work at all: it could not be started, or it ended without a result. Carries a
/// stable MABnnnn code (the core declares the same codes in its ErrorCode list), logged as the task's error.
/// </summary>
public sealed class RunnerException(string code, string message) : Exception(message)
{
    /// <summary>No dotnet was found, or the runner is missing from the package.</summary>
    public const string NotStarted = "MAB3014";

    /// <summary>The runner ended (a crash, no .NET 8 or later runtime) before it reported a result.</summary>
    public const string EndedWithoutResult = "MAB3015";

    public string Code { get; } = code;
}
