using System.Diagnostics;

namespace MultiArch.Build.Tests.Layers;

/// <summary>Runs a real tool and returns its output; a missing tool or a failure fails the test loudly.</summary>
internal static class ExternalProcess
{
    public static string Run(string fileName, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}");
        return stdout;
    }

    /// <summary>Lists a tar (gzip or not) with the system tar, in UTC so dates are stable.</summary>
    public static string[] TarListing(string archive) =>
        Run("tar", ["-tvf", archive], new Dictionary<string, string?> { ["TZ"] = "UTC", ["LC_ALL"] = "C.UTF-8" })
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
