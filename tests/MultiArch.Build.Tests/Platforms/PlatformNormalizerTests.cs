using MultiArch.Build.Platforms;
using static MultiArch.Build.Tests.Platforms.TestPlatforms;

namespace MultiArch.Build.Tests.Platforms;

/// <summary>
/// The normalization table containerd/platforms documents (package doc and database.go:
/// normalizeOS / normalizeArch): aarch64, armhf, armel, i386, x86_64, x86-64, macos, and the
/// baseline-variant rules for amd64 v1, arm64 v8 and arm v7.
/// </summary>
public class PlatformNormalizerTests
{
    [Theory]
    [InlineData("linux", "x86_64", null, "linux", "amd64", null)]
    [InlineData("linux", "x86-64", null, "linux", "amd64", null)]
    [InlineData("linux", "X86_64", null, "linux", "amd64", null)]
    [InlineData("linux", "amd64", "v1", "linux", "amd64", null)]
    [InlineData("linux", "amd64", "v3", "linux", "amd64", "v3")]
    [InlineData("linux", "aarch64", null, "linux", "arm64", null)]
    [InlineData("linux", "Aarch64", "v8", "linux", "arm64", null)]
    [InlineData("linux", "arm64", "8", "linux", "arm64", null)]
    [InlineData("linux", "arm64", "v8.0", "linux", "arm64", null)]
    [InlineData("linux", "arm64", "v8.2", "linux", "arm64", "v8.2")]
    [InlineData("linux", "arm64", "9", "linux", "arm64", "v9")]
    [InlineData("linux", "arm64", "v9.0", "linux", "arm64", "v9")]
    [InlineData("linux", "armhf", null, "linux", "arm", "v7")]
    [InlineData("linux", "armel", null, "linux", "arm", "v6")]
    [InlineData("linux", "arm", null, "linux", "arm", "v7")]
    [InlineData("linux", "arm", "7", "linux", "arm", "v7")]
    [InlineData("linux", "arm", "5", "linux", "arm", "v5")]
    [InlineData("linux", "arm", "6", "linux", "arm", "v6")]
    [InlineData("linux", "arm", "8", "linux", "arm", "v8")]
    [InlineData("linux", "arm", "V6", "linux", "arm", "v6")]
    [InlineData("linux", "i386", null, "linux", "386", null)]
    [InlineData("linux", "i386", "v1", "linux", "386", null)]
    [InlineData("Linux", "s390x", null, "linux", "s390x", null)]
    [InlineData("macOS", "arm64", null, "darwin", "arm64", null)]
    [InlineData("WINDOWS", "amd64", null, "windows", "amd64", null)]
    public void NormalizesLikeContainerd(string os, string arch, string? variant, string expectedOS, string expectedArch, string? expectedVariant)
    {
        var normalized = PlatformNormalizer.Normalize(Of(os, arch, variant));

        Assert.Equal(expectedOS, normalized.OS);
        Assert.Equal(expectedArch, normalized.Architecture);
        Assert.Equal(expectedVariant, normalized.Variant);
    }

    [Fact]
    public void KeepsVersionAndSortsFeaturesWithoutTouchingTheInput()
    {
        var input = Of("Windows", "AMD64", null, "10.0.20348.1", "win32k", "gpu", "win32k");

        var normalized = PlatformNormalizer.Normalize(input);

        Assert.Equal("10.0.20348.1", normalized.OSVersion);
        Assert.Equal(["gpu", "win32k"], normalized.OSFeatures!);
        Assert.Equal("Windows", input.OS);
        Assert.Equal(["win32k", "gpu", "win32k"], input.OSFeatures!);
    }
}
