using MultiArch.Build.Platforms;
using static MultiArch.Build.Tests.Platforms.TestPlatforms;

namespace MultiArch.Build.Tests.Platforms;

/// <summary>
/// Windows os.version compatibility, with the expectations of containerd/platforms
/// platform_windows_compat_test.go (Test_PlatformCompat) and defaults_windows_test.go
/// (TestMatchComparerMatch_WCOW, TestMatchComparerMatch_ABICheckWCOW, TestMatchComparerLess).
/// Build numbers: 17763 = ltsc2019, 20348 = ltsc2022, 22621 = Windows 11 22H2, 25398 = 23H2,
/// 26100 = ltsc2025.
/// </summary>
public class WindowsMatchingTests
{
    [Theory]
    [InlineData(17763, 17763, true)]
    [InlineData(17763, 20348, false)]
    [InlineData(20348, 17763, false)]
    [InlineData(20348, 20348, true)]
    [InlineData(22621, 17763, false)]
    [InlineData(22621, 20348, true)]
    [InlineData(25398, 17763, false)]
    [InlineData(25398, 20348, true)]
    [InlineData(26100, 20348, true)]
    [InlineData(20348, 26100, false)]
    [InlineData(20348, 22621, false)]
    [InlineData(26100, 22621, true)]
    public void HostBuildRunsContainerBuild(int host, int container, bool runs)
    {
        var matcher = PlatformMatcher.For(PlatformParser.Parse($"windows(10.0.{host})/amd64"));

        Assert.Equal(runs, matcher.Matches(PlatformParser.Parse($"windows(10.0.{container})/amd64")));
    }

    [Theory]
    [InlineData("10.0.17763.1", true)]
    [InlineData("10.0.17763.2", true)]
    [InlineData("10.0.17762.1", false)]
    [InlineData("10.0.17764.1", false)]
    [InlineData(null, true)]
    public void RevisionDoesNotMatterButBuildDoes(string? candidateVersion, bool expected)
    {
        var matcher = PlatformMatcher.For(Of("windows", "amd64", null, "10.0.17763"));

        Assert.Equal(expected, matcher.Matches(Of("windows", "amd64", null, candidateVersion)));
        Assert.False(matcher.Matches(Of("linux", "amd64")));
    }

    [Theory]
    [InlineData("10.0.17763")]
    [InlineData("10.0.20348")]
    [InlineData("10.0.22621")]
    [InlineData(null)]
    public void WantedWithoutVersionRunsAnyVersion(string? candidateVersion)
    {
        Assert.True(PlatformMatcher.For(Of("windows", "amd64")).Matches(Of("windows", "amd64", null, candidateVersion)));
    }

    [Fact]
    public void LinuxIgnoresOSVersion()
    {
        Assert.True(PlatformMatcher.For(Of("linux", "amd64", null, "5.15")).Matches(Of("linux", "amd64", null, "6.1")));
        Assert.False(PlatformMatcher.For(Of("linux", "amd64")).Matches(Of("windows", "amd64", null, "10.0.17763")));
    }

    [Fact]
    public void PrefersNewestRevisionThenNoVersionAmongMatches()
    {
        var matcher = PlatformMatcher.For(Of("windows", "amd64", null, "10.0.17763"));
        var platforms = new[]
        {
            Of("windows", "amd64", null, "10.0.17764.1"),
            Of("windows", "amd64"),
            Of("windows", "amd64", null, "10.0.17763.1"),
            Of("windows", "amd64", null, "10.0.17763.2"),
            Of("windows", "amd64", null, "10.0.17762.1"),
        };

        var sorted = platforms.OrderBy(p => p, Comparer<MultiArch.Build.Oci.Platform>.Create(matcher.Compare)).Select(p => p.OSVersion).ToArray();

        Assert.Equal(new string?[] { "10.0.17763.2", "10.0.17763.1", null, "10.0.17764.1", "10.0.17762.1" }, sorted);
    }

    [Fact]
    public void SelectsTheRunnableWindowsBuild()
    {
        var ltsc2019 = Manifest(Of("windows", "amd64", null, "10.0.17763.5576"), 1);
        var ltsc2022 = Manifest(Of("windows", "amd64", null, "10.0.20348.2340"), 2);

        Assert.Same(ltsc2022, PlatformMatcher.For(PlatformParser.Parse("windows(10.0.20348)/amd64")).SelectBest([ltsc2019, ltsc2022]));
        Assert.Same(ltsc2019, PlatformMatcher.For(PlatformParser.Parse("windows(10.0.17763)/amd64")).SelectBest([ltsc2019, ltsc2022]));
        Assert.Same(ltsc2019, PlatformMatcher.For(PlatformParser.Parse("windows/amd64")).SelectBest([ltsc2019, ltsc2022]));
    }
}
