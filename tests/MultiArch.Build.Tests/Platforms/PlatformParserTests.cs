using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;
using static MultiArch.Build.Tests.Platforms.TestPlatforms;

namespace MultiArch.Build.Tests.Platforms;

/// <summary>
/// Expected values come from containerd/platforms' published tests (platforms_test.go:
/// TestParseSelector, TestParseSelectorInvalid, TestParseWithOSFeatures,
/// TestParseWithOSVersionAndFeatures, TestFormatAllIncludesSortedOSFeatures).
/// </summary>
public class PlatformParserTests
{
    [Theory]
    [InlineData("linux/arm64", "linux", "arm64", null, null, "linux/arm64")]
    [InlineData("linux/arm64/v8", "linux", "arm64", "v8", null, "linux/arm64/v8")]
    [InlineData("linux/arm", "linux", "arm", null, null, "linux/arm")]
    [InlineData("linux/arm/v6", "linux", "arm", "v6", null, "linux/arm/v6")]
    [InlineData("linux/arm/v7", "linux", "arm", "v7", null, "linux/arm/v7")]
    [InlineData("Linux/x86_64", "linux", "amd64", null, null, "linux/amd64")]
    [InlineData("linux/s390x", "linux", "s390x", null, null, "linux/s390x")]
    [InlineData("windows(10.0.17763)/amd64", "windows", "amd64", null, "10.0.17763", "windows(10.0.17763)/amd64")]
    [InlineData("macos(Abcd.Efgh.123-4)/aarch64", "darwin", "arm64", null, "Abcd.Efgh.123-4", "darwin(Abcd.Efgh.123-4)/arm64")]
    public void ParsesContainerdSpecifiers(string input, string os, string arch, string? variant, string? osVersion, string formatted)
    {
        var platform = PlatformParser.Parse(input);

        Assert.Equal(os, platform.OS);
        Assert.Equal(arch, platform.Architecture);
        Assert.Equal(variant, platform.Variant);
        Assert.Equal(osVersion, platform.OSVersion);
        Assert.Equal(formatted, PlatformFormatter.Format(platform));
        Assert.Equal(formatted, PlatformFormatter.Format(PlatformParser.Parse(formatted)));
    }

    public static TheoryData<string, Platform> StrictlyEquivalent => new()
    {
        { "linux/arm64", Of("linux", "aarch64") },
        { "linux/arm64", Of("linux", "aarch64", "v8") },
        { "linux/arm64", Of("linux", "arm64", "v8") },
        { "linux/arm64/v8", Of("linux", "aarch64") },
        { "linux/arm64/v8", Of("linux", "aarch64", "v8") },
        { "linux/arm64/v8", Of("linux", "arm64") },
        { "linux/arm", Of("linux", "arm", "v7") },
        { "linux/arm", Of("linux", "armhf") },
        { "linux/arm", Of("linux", "arm", "7") },
        { "linux/arm/v6", Of("linux", "armel") },
        { "linux/arm/v7", Of("linux", "arm") },
        { "linux/arm/v7", Of("linux", "armhf") },
    };

    [Theory]
    [MemberData(nameof(StrictlyEquivalent))]
    public void ParsedSpecifierMatchesOtherSpellings(string input, Platform spelling)
    {
        var parsed = PlatformParser.Parse(input);

        Assert.True(PlatformMatcher.Strict(parsed).Matches(spelling), $"{input} should match {PlatformFormatter.Format(spelling)}");
        Assert.True(PlatformMatcher.Strict(parsed).Matches(parsed));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/linux/arm")]
    [InlineData("linux/arm/")]
    [InlineData("linux /arm")]
    [InlineData("linux/&arm")]
    [InlineData("linux/arm/foo/bar")]
    [InlineData("amd64/windows(10.0.17763)/foo")]
    [InlineData("linux)()---()..../arm/foo")]
    [InlineData("../arm/foo")]
    [InlineData("*")]
    [InlineData("linux/*")]
    [InlineData("linux(+)/amd64")]
    [InlineData("linux(a b)/amd64")]
    [InlineData("linux(10.0+gpu+)/amd64")]
    public void RejectsInvalidSpecifiersWithCode(string input)
    {
        var error = Assert.Throws<MabException>(() => PlatformParser.Parse(input));

        Assert.Equal(ErrorCode.InvalidPlatform, error.Code);
        Assert.Contains("os/architecture", error.Message);
        Assert.False(PlatformParser.TryParse(input, out var none));
        Assert.Null(none);
    }

    [Theory]
    [InlineData("linux")]
    [InlineData("arm64")]
    [InlineData("windows(10.0.17763)")]
    public void RequiresBothOSAndArchitecture(string input)
    {
        // containerd fills a lone OS or architecture in from the host; an image build must not.
        var error = Assert.Throws<MabException>(() => PlatformParser.Parse(input));

        Assert.Equal(ErrorCode.InvalidPlatform, error.Code);
        Assert.Contains("both the OS and the architecture", error.Message);
    }

    [Fact]
    public void ParsesOSFeatures()
    {
        var platform = PlatformParser.Parse("linux(+erofs)/amd64");

        Assert.Equal(Of("linux", "amd64", features: "erofs"), platform);
        Assert.Null(platform.OSVersion);
        Assert.Equal(["erofs"], platform.OSFeatures!);
    }

    [Fact]
    public void ParsesOSVersionWithSortedFeatures()
    {
        var platform = PlatformParser.Parse("windows(10.0.17763+win32k+gpu)/amd64");

        Assert.Equal("windows", platform.OS);
        Assert.Equal("amd64", platform.Architecture);
        Assert.Equal("10.0.17763", platform.OSVersion);
        Assert.Equal(["gpu", "win32k"], platform.OSFeatures!);
    }

    [Fact]
    public void EmptyParenthesesMeanNoVersion()
    {
        var platform = PlatformParser.Parse("windows()/amd64");

        Assert.Null(platform.OSVersion);
        Assert.Equal("windows/amd64", PlatformFormatter.Format(platform));
    }

    [Fact]
    public void FormatsFeaturesSortedAndOnce()
    {
        var platform = Of("linux", "amd64", features: ["selinux", "erofs", "selinux"]);

        Assert.Equal("linux(+erofs+selinux)/amd64", PlatformFormatter.Format(platform));
    }

    [Fact]
    public void FormatsVersionAndFeaturesTogether()
    {
        string text = PlatformFormatter.Format(PlatformParser.Parse("windows(10.0.20348+win32k)/amd64"));

        Assert.Equal("windows(10.0.20348+win32k)/amd64", text);
    }

    [Fact]
    public void FormatsPlatformWithoutOSAsUnknown()
    {
        Assert.Equal("unknown", PlatformFormatter.Format(new Platform { Architecture = "amd64" }));
    }

    [Fact]
    public void TryParseReturnsPlatform()
    {
        Assert.True(PlatformParser.TryParse("linux/riscv64", out var platform));
        Assert.Equal(Of("linux", "riscv64"), platform);
        Assert.False(PlatformParser.TryParse(null, out _));
    }
}
