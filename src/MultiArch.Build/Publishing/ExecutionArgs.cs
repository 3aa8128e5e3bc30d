using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Publishing;

/// <summary>
/// How the container starts the app, with the .NET SDK's items and meaning, so a project moved from the
/// SDK's container support gets the same Entrypoint and Cmd: ContainerEntrypoint (+Args), ContainerAppCommand
/// (default: the apphost of a self-contained app, <c>dotnet app.dll</c> otherwise) (+Args),
/// ContainerDefaultArgs, and ContainerAppCommandInstruction, which says where the app command goes.
/// </summary>
public sealed record ExecutionArgs
{
    public IReadOnlyList<string> Entrypoint { get; init; } = [];
    public IReadOnlyList<string> EntrypointArgs { get; init; } = [];
    public IReadOnlyList<string> AppCommand { get; init; } = [];
    public IReadOnlyList<string> AppCommandArgs { get; init; } = [];
    public IReadOnlyList<string> DefaultArgs { get; init; } = [];

    /// <summary>Null: chosen from the other items as the SDK does (Entrypoint, or DefaultArgs when ContainerEntrypoint is set).</summary>
    public AppCommandInstruction? Instruction { get; init; }
    public bool IsSelfContained { get; init; }
    public string AssemblyName { get; init; } = "";
    public string TargetFileName { get; init; } = "";

    /// <summary>
    /// The config's Entrypoint and Cmd for one platform. <paramref name="baseEntrypoint"/> is kept where no
    /// entrypoint is set, except a bare <c>dotnet</c>, which would run the app command twice.
    /// </summary>
    public (IReadOnlyList<string> Entrypoint, IReadOnlyList<string> Cmd) ProcessFor(string os, string workingDirectory, IReadOnlyList<string>? baseEntrypoint)
    {
        bool setsEntrypoint = Entrypoint.Count > 0 || EntrypointArgs.Count > 0;
        IReadOnlyList<string> appCommand = AppCommand.Count > 0 || Instruction == AppCommandInstruction.None ? AppCommand : DefaultAppCommand(os, workingDirectory);

        // Before the app command items existed, ContainerEntrypointArgs alone were the app's arguments: keep that meaning.
        if (Instruction is null && setsEntrypoint && Entrypoint.Count == 0 && DefaultArgs.Count == 0 && AppCommandArgs.Count == 0)
            return (appCommand, EntrypointArgs);
        if (EntrypointArgs.Count > 0 && Entrypoint.Count == 0)
            throw Conflict("ContainerEntrypointArgs is set without ContainerEntrypoint. Set ContainerEntrypoint, or pass the app's arguments as ContainerAppCommandArgs.");

        var instruction = Instruction ?? (setsEntrypoint ? AppCommandInstruction.DefaultArgs : AppCommandInstruction.Entrypoint);
        IReadOnlyList<string> entrypoint = setsEntrypoint ? [.. Entrypoint, .. EntrypointArgs] : Usable(baseEntrypoint);
        switch (instruction)
        {
            case AppCommandInstruction.Entrypoint:
                if (setsEntrypoint)
                    throw Conflict("ContainerEntrypoint is set while ContainerAppCommandInstruction is Entrypoint, which makes the app command the entrypoint. Remove ContainerEntrypoint, or set ContainerAppCommandInstruction to DefaultArgs.");
                return ([.. appCommand, .. AppCommandArgs], DefaultArgs);
            case AppCommandInstruction.DefaultArgs:
                return (entrypoint, [.. appCommand, .. AppCommandArgs, .. DefaultArgs]);
            default:
                if (AppCommand.Count > 0 || AppCommandArgs.Count > 0)
                    throw Conflict("ContainerAppCommand or ContainerAppCommandArgs is set while ContainerAppCommandInstruction is None, which uses no app command. Remove them, or choose Entrypoint or DefaultArgs.");
                return (entrypoint, DefaultArgs);
        }
    }

    private static IReadOnlyList<string> Usable(IReadOnlyList<string>? baseEntrypoint) =>
        baseEntrypoint is null || baseEntrypoint is ["dotnet"] or ["/usr/bin/dotnet"] ? [] : baseEntrypoint;

    private static MabException Conflict(string message) => new(ErrorCode.ConflictingStartCommand, message);

    private IReadOnlyList<string> DefaultAppCommand(string os, string workingDirectory)
    {
        bool windows = string.Equals(os, "windows", StringComparison.OrdinalIgnoreCase);
        string dir = workingDirectory.EndsWith('/') || workingDirectory.EndsWith('\\') ? workingDirectory : workingDirectory + (windows ? "\\" : "/");
        return IsSelfContained
            ? [dir + AssemblyName + (windows ? ".exe" : "")]
            : ["dotnet", dir + TargetFileName];
    }
}
