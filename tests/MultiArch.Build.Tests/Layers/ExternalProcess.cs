namespace MultiArch.Build.Tests.Layers;

/// <summary>Runs a real tool and returns its output; a missing tool or a failure fails the test loudly.</summary>
internal static class ExternalProcess
{
    public static string Run(string fileName, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null)
    {
        var result = ProcessRunner.Run(fileName, arguments, environment: environment?.AsReadOnly());
        Assert.True(result.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)} exited with {result.ExitCode}: {result.Error}");
        return result.Output;
    }

    /// <summary>Lists a tar (gzip or not) with the system tar, in UTC so dates are stable.</summary>
    public static string[] TarListing(string archive) =>
        Run("tar", ["-tvf", archive], new Dictionary<string, string?> { ["TZ"] = "UTC", ["LC_ALL"] = "C.UTF-8" })
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
