namespace MultiArch.Build.Tests.Platforms;

/// <summary>
/// containerd/platforms compare_test.go, TestOnly and TestOnlyStrict: for each wanted platform,
/// which platforms must match and which must not. Kept as data so each pair is its own case.
/// </summary>
internal static class ContainerdMatchExpectations
{
    public static readonly (string Wanted, string[] Match, string[] NoMatch)[] Only =
    [
        ("linux/amd64", ["linux/amd64", "linux/386"], ["linux/amd64/v2", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"]),
        ("linux/amd64/v2", ["linux/amd64", "linux/amd64/v1", "linux/amd64/v2", "linux/386"], ["linux/amd64/v3", "linux/amd64/v4", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"]),
        ("linux/386", ["linux/386"], ["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"]),
        ("windows/amd64", ["windows/amd64", "windows(10.0.17763)/amd64"], ["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/arm"]),
        ("linux/arm/v8", ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8"], ["linux/amd64", "linux/arm/v4", "linux/arm64", "windows/amd64", "windows/arm"]),
        ("linux/arm/v7", ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7"], ["linux/amd64", "linux/arm/v4", "linux/arm/v8", "linux/arm64", "windows/amd64", "windows/arm"]),
        ("linux/arm/v6", ["linux/arm/v5", "linux/arm/v6"], ["linux/amd64", "linux/arm", "linux/arm/v4", "linux/arm/v7", "linux/arm/v8", "linux/arm64", "windows/amd64", "windows/arm"]),
        ("linux/arm/v5", ["linux/arm/v5"], ["linux/amd64", "linux/arm", "linux/arm/v4", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/arm64", "windows/amd64", "windows/arm"]),
        ("linux/arm/v4", ["linux/arm/v4"], ["linux/amd64", "linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/arm64", "windows/amd64", "windows/arm"]),
        ("linux/arm64", ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/arm64", "linux/arm64/v8"], ["linux/amd64", "linux/arm/v4", "linux/arm/v9", "linux/arm64/v7", "linux/arm64/v9", "windows/amd64", "windows/arm"]),
        ("linux/arm64/v9", ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/arm64", "linux/arm64/v8", "linux/arm64/v9"], ["linux/amd64", "linux/arm/v4", "linux/arm64/v7", "linux/arm64/v10", "windows/arm64", "windows/arm"]),
    ];

    public static readonly (string Wanted, string[] Match, string[] NoMatch)[] OnlyStrict =
    [
        ("linux/amd64", ["linux/amd64"], ["linux/386", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"]),
        ("linux/386", ["linux/386"], ["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"]),
        ("windows/amd64", ["windows/amd64", "windows(10.0.17763)/amd64"], ["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/arm"]),
        ("windows(10.0.17763)/amd64", ["windows/amd64", "windows(10.0.17763)/amd64"], ["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/arm"]),
        ("linux/arm/v8", ["linux/arm/v8"], ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/amd64", "linux/arm/v4", "linux/arm64", "windows/amd64", "windows/arm"]),
        ("linux/arm/v7", ["linux/arm", "linux/arm/v7"], ["linux/arm/v5", "linux/arm/v6", "linux/amd64", "linux/arm/v4", "linux/arm/v8", "linux/arm64", "windows/amd64", "windows/arm"]),
        ("linux/arm/v6", ["linux/arm/v6"], ["linux/arm/v5", "linux/amd64", "linux/arm", "linux/arm/v4", "linux/arm/v7", "linux/arm/v8", "linux/arm64", "windows/amd64", "windows/arm"]),
        ("linux/arm/v5", ["linux/arm/v5"], ["linux/amd64", "linux/arm", "linux/arm/v4", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/arm64", "windows/amd64", "windows/arm"]),
        ("linux/arm/v4", ["linux/arm/v4"], ["linux/amd64", "linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/arm64", "windows/amd64", "windows/arm"]),
        ("linux/arm64", ["linux/arm64", "linux/arm64/v8"], ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/amd64", "linux/arm/v4", "linux/arm/v9", "linux/arm64/v7", "linux/arm64/v9", "windows/amd64", "windows/arm"]),
        ("linux/arm64/v9", ["linux/arm64/v9"], ["linux/arm", "linux/arm/v7", "linux/arm/v8", "linux/arm/v9", "linux/arm64/v7", "linux/arm64", "linux/arm64/v8", "linux/arm/v4", "linux/arm64/v10", "linux/amd64", "windows/arm64", "windows/arm"]),
    ];

    public static TheoryData<string, string, bool> Flatten((string Wanted, string[] Match, string[] NoMatch)[] table)
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (wanted, match, noMatch) in table)
        {
            foreach (string candidate in match) data.Add(wanted, candidate, true);
            foreach (string candidate in noMatch) data.Add(wanted, candidate, false);
        }
        return data;
    }
}
