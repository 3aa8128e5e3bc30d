using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Publishing;

/// <summary>
/// How the container starts the app, with the .NET SDK's items and meaning, so a project moved from the
/// SDK's container support gets the same Entrypoint and Cmd: ContainerEntrypoint (+Args), ContainerAppCommand
/// (default: the apphost of a self-contained app, <c>dotnet app.dll</c> otherwise; on Windows <c>app.exe</c> and
/// <c>dotnet.exe app.dll</c>) (+Args),
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
        var instruction = Validate();
        IReadOnlyList<string> appCommand = AppCommand.Count > 0 || Instruction == AppCommandInstruction.None ? AppCommand : DefaultAppCommand(os, workingDirectory);
        if (instruction is null) return (appCommand, EntrypointArgs); // EntrypointArgs alone: the app's arguments
        IReadOnlyList<string> entrypoint = SetsEntrypoint ? [.. Entrypoint, .. EntrypointArgs] : Usable(baseEntrypoint);
        return instruction switch
        {
            AppCommandInstruction.Entrypoint => ([.. appCommand, .. AppCommandArgs], DefaultArgs),
            AppCommandInstruction.DefaultArgs => (entrypoint, [.. appCommand, .. AppCommandArgs, .. DefaultArgs]),
            _ => (entrypoint, DefaultArgs),
        };
    }

    /// <summary>
    /// Checks that the items do not contradict each other or the instruction (MAB3013) and returns the instruction in
    /// effect: the given one, or the SDK's choice (DefaultArgs when ContainerEntrypoint is set, else Entrypoint).
    /// Null means the old meaning of ContainerEntrypointArgs alone: the app's arguments.
    /// </summary>
    public AppCommandInstruction? Validate()
    {
        // Before the app command items existed, ContainerEntrypointArgs alone were the app's arguments: keep that meaning.
        if (Instruction is null && SetsEntrypoint && Entrypoint.Count == 0 && DefaultArgs.Count == 0 && AppCommandArgs.Count == 0)
            return null;
        if (EntrypointArgs.Count > 0 && Entrypoint.Count == 0)
            throw Conflict("ContainerEntrypointArgs is set without ContainerEntrypoint. Set ContainerEntrypoint, or pass the app's arguments as ContainerAppCommandArgs.");
        var instruction = Instruction ?? (SetsEntrypoint ? AppCommandInstruction.DefaultArgs : AppCommandInstruction.Entrypoint);
        if (instruction == AppCommandInstruction.Entrypoint && SetsEntrypoint)
            throw Conflict("ContainerEntrypoint is set while ContainerAppCommandInstruction is Entrypoint, which makes the app command the entrypoint. Remove ContainerEntrypoint, or set ContainerAppCommandInstruction to DefaultArgs.");
        if (instruction == AppCommandInstruction.None && (AppCommand.Count > 0 || AppCommandArgs.Count > 0))
            throw Conflict("ContainerAppCommand or ContainerAppCommandArgs is set while ContainerAppCommandInstruction is None, which uses no app command. Remove them, or choose Entrypoint or DefaultArgs.");
        return instruction;
    }

    private bool SetsEntrypoint => Entrypoint.Count > 0 || EntrypointArgs.Count > 0;

    private static IReadOnlyList<string> Usable(IReadOnlyList<string>? baseEntrypoint) =>
        baseEntrypoint is null || baseEntrypoint is [var only] && IsDotnetHost(only) ? [] : baseEntrypoint;

    private static bool IsDotnetHost(string command) =>
        command is "dotnet" or "/usr/bin/dotnet" or "dotnet.exe"
        || command.EndsWith(@"\dotnet.exe", StringComparison.OrdinalIgnoreCase);

    private static MabException Conflict(string message) => new(ErrorCode.ConflictingStartCommand, message);

    private IReadOnlyList<string> DefaultAppCommand(string os, string workingDirectory)
    {
        bool windows = string.Equals(os, "windows", StringComparison.OrdinalIgnoreCase);
        string dir = workingDirectory.EndsWith('/') || workingDirectory.EndsWith('\\') ? workingDirectory : workingDirectory + (windows ? "\\" : "/");
        // A Windows image starts dotnet.exe, which the .NET images put on the PATH.
        return IsSelfContained
            ? [dir + AssemblyName + (windows ? ".exe" : "")]
            : [windows ? "dotnet.exe" : "dotnet", dir + TargetFileName];
    }
}
