namespace MultiArch.Build.Tests.Layers;

/// <summary>Reads layers back with the system tar.</summary>
internal static class SystemTar
{
    /// <summary>Lists a tar (gzip or not) with the system tar, in UTC so dates are stable.</summary>
    public static string[] Listing(string archive) =>
        ProcessRunner.RunChecked("tar", ["-tvf", archive], environment: new Dictionary<string, string?> { ["TZ"] = "UTC", ["LC_ALL"] = "C.UTF-8" }).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
