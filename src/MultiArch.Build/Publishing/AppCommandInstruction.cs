using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Publishing;

/// <summary>Where the app's command goes in the image (ContainerAppCommandInstruction), with the SDK's names and meaning.</summary>
public enum AppCommandInstruction
{
    /// <summary>The app command and its arguments are the entrypoint; ContainerDefaultArgs are the command.</summary>
    Entrypoint,

    /// <summary>The entrypoint is ContainerEntrypoint (or the base's); the app command, its arguments and ContainerDefaultArgs are the command.</summary>
    DefaultArgs,

    /// <summary>No app command: the entrypoint is ContainerEntrypoint (or the base's) and the command is ContainerDefaultArgs.</summary>
    None,
}

public static class AppCommandInstructions
{
    /// <summary>Reads ContainerAppCommandInstruction; empty means the SDK's choice, made from the other items (null).</summary>
    public static AppCommandInstruction? Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "ENTRYPOINT" => AppCommandInstruction.Entrypoint,
        "DEFAULTARGS" => AppCommandInstruction.DefaultArgs,
        "NONE" => AppCommandInstruction.None,
        _ => throw new MabException(ErrorCode.InvalidAppCommandInstruction,
            $"ContainerAppCommandInstruction is '{value}'. Use Entrypoint (the app is the entrypoint), DefaultArgs (the app is the command, run by ContainerEntrypoint or the base's entrypoint) or None (no app command), or leave it empty."),
    };
}
