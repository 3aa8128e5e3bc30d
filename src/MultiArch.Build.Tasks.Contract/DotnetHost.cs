namespace MultiArch.Build.Tasks.Contract;

/// <summary>
/// Which <c>dotnet</c> starts the runner: DOTNET_HOST_PATH (the SDK's own dotnet, which it sets for the MSBuild it
/// runs; a file, or a folder that holds dotnet), then the SDK's NetCoreRoot property, then the first dotnet on PATH.
/// </summary>
public static class DotnetHost
{
    public static string FileName { get; } = IsWindows ? "dotnet.exe" : "dotnet";

    private static bool IsWindows => Path.DirectorySeparatorChar == '\\';

    /// <summary>The dotnet this process's environment points at, or null when none is found.</summary>
    public static string? Find(string? netCoreRoot) =>
        Find(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"), netCoreRoot, Environment.GetEnvironmentVariable("PATH"), File.Exists);

    /// <param name="exists">Whether a file exists (a test's own file system).</param>
    public static string? Find(string? hostPath, string? netCoreRoot, string? path, Func<string, bool> exists)
    {
        foreach (var candidate in Candidates(hostPath, netCoreRoot, path))
        {
            if (exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Where dotnet is looked for, in order.</summary>
    public static IEnumerable<string> Candidates(string? hostPath, string? netCoreRoot, string? path)
    {
        if (!string.IsNullOrWhiteSpace(hostPath))
        {
            // The dotnet file itself, or a folder that holds it: a folder is no file, so the first never matches it.
            string host = hostPath!.Trim();
            yield return host;
            yield return Path.Combine(host, FileName);
        }
        if (!string.IsNullOrWhiteSpace(netCoreRoot)) yield return Path.Combine(netCoreRoot!.Trim(), FileName);
        foreach (var folder in (path ?? "").Split(Path.PathSeparator))
        {
            string trimmed = folder.Trim().Trim('"');
            if (trimmed.Length > 0) yield return Path.Combine(trimmed, FileName);
        }
    }
}
