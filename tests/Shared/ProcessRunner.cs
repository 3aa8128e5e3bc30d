using System.Diagnostics;

namespace MultiArch.Build.Testing;

/// <summary>What a program printed and how it exited.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public string All => Output + Environment.NewLine + Error;

    public override string ToString() => $"exit {ExitCode}: {All}";
}

/// <summary>
/// Runs a real program (dotnet, skopeo, umoci, podman, a build script) for the tests and captures what it
/// printed. A program that is not installed fails the test loudly; it is never skipped.
/// </summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(Find(program))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', info.ArgumentList)} did not finish in time.");
        }
        return new ProcessResult(process.ExitCode, await output, await error);
    }

    public static ProcessResult Run(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null) =>
        RunAsync(program, arguments, workingDirectory, environment, timeout).GetAwaiter().GetResult();

    /// <summary>Runs and throws with everything printed unless the program exits 0.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var list = arguments.ToList();
        var result = await RunAsync(program, list, workingDirectory, environment, timeout);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"'{program} {string.Join(' ', list)}' exited {result.ExitCode}:{Environment.NewLine}{result.All}");
        return result;
    }

    public static Task<ProcessResult> RunCheckedAsync(string program, params string[] arguments) => RunCheckedAsync(program, (IEnumerable<string>)arguments);

    public static ProcessResult RunChecked(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null) =>
        RunCheckedAsync(program, arguments, workingDirectory, environment, timeout).GetAwaiter().GetResult();

    public static ProcessResult RunChecked(string program, params string[] arguments) => RunChecked(program, (IEnumerable<string>)arguments);

    /// <summary>The full path of a program (a path is taken as it is); throws, never skips, when it is not installed.</summary>
    public static string Find(string program)
    {
        if (program.Contains('/')) return program;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException($"'{program}' is not installed. Run build/install-prereqs.sh first.");
    }
}
