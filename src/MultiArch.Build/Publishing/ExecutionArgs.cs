namespace MultiArch.Build.Publishing;

/// <summary>
/// How the container starts the app, with the SDK's meaning of its items: ContainerEntrypoint (+Args)
/// when given replaces everything; otherwise ContainerAppCommand (default: the apphost for a
/// self-contained app, <c>dotnet app.dll</c> otherwise) plus ContainerAppCommandArgs is the entrypoint,
/// and ContainerDefaultArgs becomes the command.
/// </summary>
public sealed record ExecutionArgs
{
    public IReadOnlyList<string> Entrypoint { get; init; } = [];
    public IReadOnlyList<string> EntrypointArgs { get; init; } = [];
    public IReadOnlyList<string> AppCommand { get; init; } = [];
    public IReadOnlyList<string> AppCommandArgs { get; init; } = [];
    public IReadOnlyList<string> DefaultArgs { get; init; } = [];
    public bool IsSelfContained { get; init; }
    public string AssemblyName { get; init; } = "";
    public string TargetFileName { get; init; } = "";

    /// <summary>The entrypoint for one platform: the apphost gets <c>.exe</c> on Windows.</summary>
    public IReadOnlyList<string> EntrypointFor(string os, string workingDirectory)
    {
        if (Entrypoint.Count > 0) return [.. Entrypoint, .. EntrypointArgs];
        IReadOnlyList<string> command = AppCommand.Count > 0 ? AppCommand : DefaultAppCommand(os, workingDirectory);
        return [.. command, .. AppCommandArgs];
    }

    /// <summary>The command (arguments to the entrypoint); empty clears the base's.</summary>
    public IReadOnlyList<string> Cmd => DefaultArgs;

    private IReadOnlyList<string> DefaultAppCommand(string os, string workingDirectory)
    {
        bool windows = string.Equals(os, "windows", StringComparison.OrdinalIgnoreCase);
        string dir = workingDirectory.EndsWith('/') || workingDirectory.EndsWith('\\') ? workingDirectory : workingDirectory + (windows ? "\\" : "/");
        return IsSelfContained
            ? [dir + AssemblyName + (windows ? ".exe" : "")]
            : ["dotnet", dir + TargetFileName];
    }
}
