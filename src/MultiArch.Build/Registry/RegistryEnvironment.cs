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

    public RegistryEnvironment(Func<string, string?> variables, string? homeDirectory = null, bool isRoot = false)
    {
        _variables = variables;
        HomeDirectory = homeDirectory ?? variables("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        IsRoot = isRoot;
    }

    /// <summary>The real process environment.</summary>
    public static RegistryEnvironment Process { get; } = new(Environment.GetEnvironmentVariable, isRoot: !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess);

    /// <summary>An environment with only the given variables (HOME among them, or none at all).</summary>
    public static RegistryEnvironment From(IReadOnlyDictionary<string, string> variables) =>
        new(name => variables.TryGetValue(name, out var value) ? value : null, variables.TryGetValue("HOME", out var home) ? home : "");

    public string HomeDirectory { get; }

    /// <summary>Whether this runs as root on Unix, where podman keeps root's logins in /run/containers/0.</summary>
    public bool IsRoot { get; }

    /// <summary>
    /// The auth.json <c>podman login</c> as root writes when XDG_RUNTIME_DIR is unset, read only when <see cref="IsRoot"/>.
    /// A test points it into its own folder, so it never writes the machine's real file.
    /// </summary>
    public string RootAuthPath { get; init; } = "/run/containers/0/auth.json";

    /// <summary>How long a credential helper may take to answer before it is stopped.</summary>
    public TimeSpan HelperTimeout { get; init; } = TimeSpan.FromSeconds(30);

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

    /// <summary>Runs a program with this environment's variables and returns its exit code and output; throws <see cref="TimeoutException"/> (after stopping it) when it takes longer than <see cref="HelperTimeout"/>.</summary>
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
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(HelperTimeout);
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(path)} did not finish within {HelperTimeout.TotalSeconds:0} s.");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
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
