using System.Diagnostics;

namespace MultiArch.Build.Registry;

/// <summary>
/// What the registry client reads from its surroundings: environment variables, the home folder,
/// and how to run a credential helper. Tests pass their own so they never change the process
/// environment that other tests share.
/// </summary>
public sealed class RegistryEnvironment
{
    private readonly Func<string, string?> _variables;

    public RegistryEnvironment(Func<string, string?> variables, string? homeDirectory = null)
    {
        _variables = variables;
        HomeDirectory = homeDirectory ?? variables("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
    }

    /// <summary>The real process environment.</summary>
    public static RegistryEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>An environment with only the given variables (HOME among them, or none at all).</summary>
    public static RegistryEnvironment From(IReadOnlyDictionary<string, string> variables) =>
        new(name => variables.TryGetValue(name, out var value) ? value : null, variables.TryGetValue("HOME", out var home) ? home : "");

    public string HomeDirectory { get; }

    public string? Get(string name)
    {
        string? value = _variables(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Finds an executable on this environment's PATH, or null.</summary>
    public string? FindOnPath(string program)
    {
        foreach (string dir in (Get("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string candidate in Candidates(Path.Combine(dir, program)))
            {
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    /// <summary>Runs a program with this environment's variables and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunAsync(string path, string argument, string input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(path, argument)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string name in new[] { "PATH", "HOME", "DOCKER_CONFIG", "XDG_RUNTIME_DIR" })
        {
            string? value = Get(name);
            if (value is not null) start.Environment[name] = value;
        }
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException($"Could not start {path}.");
        await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    private static IEnumerable<string> Candidates(string path)
    {
        yield return path;
        if (OperatingSystem.IsWindows())
        {
            yield return path + ".exe";
            yield return path + ".cmd";
        }
    }
}
