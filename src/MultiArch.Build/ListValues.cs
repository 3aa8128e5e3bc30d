namespace MultiArch.Build;

/// <summary>
/// Splits the list-valued settings (platforms, tags, index sources, insecure registries). ';' and ',' for
/// project files; whitespace because MSBuild's -p: switch itself splits on ';' and ',', so
/// <c>-p:ContainerPlatforms="linux-x64 linux-arm64"</c> is the one form that needs no escaping in a shell.
/// None of these values can contain any of the separators.
/// </summary>
public static class ListValues
{
    private static readonly char[] Separators = [';', ',', ' ', '\t', '\r', '\n'];

    public static string[] Split(string? value) =>
        (value ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
