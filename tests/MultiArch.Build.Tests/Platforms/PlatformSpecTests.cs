using MultiArch.Build.Diagnostics;
using MultiArch.Build.Platforms;

namespace MultiArch.Build.Tests.Platforms;

public class PlatformSpecTests
{
    [Theory]
    [InlineData("linux-x64", "linux/amd64", "linux-x64")]
    [InlineData("linux-musl-arm64", "linux/arm64", "linux-musl-arm64")]
    [InlineData("win-x64", "windows/amd64", "win-x64")]
    [InlineData("linux/arm64", "linux/arm64", "linux-arm64")]
    [InlineData("linux/arm64/v8", "linux/arm64", "linux-arm64")]
    [InlineData("linux/arm", "linux/arm/v7", "linux-arm")]
    [InlineData("linux-arm", "linux/arm/v7", "linux-arm")]
    [InlineData(" linux/arm/v6 ", "linux/arm/v6", "linux-armv6")]
    [InlineData("Linux/x86_64", "linux/amd64", "linux-x64")]
    [InlineData("LINUX-X64", "linux/amd64", "linux-x64")]
    [InlineData("windows(10.0.20348)/amd64", "windows(10.0.20348)/amd64", "win-x64")]
    [InlineData("linux(+erofs)/amd64", "linux(+erofs)/amd64", "linux-x64")]
    public void ParsesRidsAndPlatforms(string entry, string platform, string rid)
    {
        var target = PlatformSpec.Parse(entry);

        Assert.Equal(platform, PlatformFormatter.Format(target.Platform));
        Assert.Equal(rid, target.RuntimeIdentifier);
    }

    [Theory]
    [InlineData("linux/amd64", "linux-musl-x64")]
    [InlineData("linux/arm", "linux-musl-arm")]
    [InlineData("linux-x64", "linux-x64")]
    [InlineData("windows/amd64", "win-x64")]
    public void MuslAppliesToPlatformEntriesOnly(string entry, string rid)
    {
        Assert.Equal(rid, PlatformSpec.Parse(entry, musl: true).RuntimeIdentifier);
    }

    [Fact]
    public void ParsesAListInOrder()
    {
        var targets = PlatformSpec.ParseList(" linux-x64; linux/arm64,linux-arm ;; win-x64;");

        Assert.Equal(["linux-x64", "linux-arm64", "linux-arm", "win-x64"], targets.Select(t => t.RuntimeIdentifier));
        Assert.Equal(["linux/amd64", "linux/arm64", "linux/arm/v7", "windows/amd64"], targets.Select(t => PlatformFormatter.Format(t.Platform)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ; , ")]
    public void EmptyListGivesNoTargets(string list)
    {
        Assert.Empty(PlatformSpec.ParseList(list));
    }

    [Theory]
    [InlineData("linux-x64;linux-x64")]
    [InlineData("linux-x64;linux/amd64")]
    [InlineData("linux/arm64/v8,linux/arm64")]
    [InlineData("linux-arm;linux/arm")]
    [InlineData("linux-x64;linux-musl-x64")]
    [InlineData("linux/aarch64;linux-arm64")]
    public void RejectsTheSamePlatformTwice(string list)
    {
        var error = Assert.Throws<MabException>(() => PlatformSpec.ParseList(list));

        Assert.Equal(ErrorCode.DuplicatePlatform, error.Code);
        Assert.Contains("twice", error.Message);
    }

    [Theory]
    [InlineData("osx-arm64")]
    [InlineData("arm64")]
    [InlineData("linux-x65")]
    public void UnknownRidEntryListsKnownRids(string entry)
    {
        var error = Assert.Throws<MabException>(() => PlatformSpec.Parse(entry));

        Assert.Equal(ErrorCode.UnknownRuntimeIdentifier, error.Code);
        Assert.Contains(entry, error.Message);
        Assert.Contains("linux-x64", error.Message);
        Assert.Contains("linux/arm64", error.Message);
    }

    [Theory]
    [InlineData("linux/mips64")]
    [InlineData("linux/arm/v5")]
    public void PlatformWithoutRidIsACodedError(string entry)
    {
        var error = Assert.Throws<MabException>(() => PlatformSpec.ParseList("linux-x64;" + entry));

        Assert.Equal(ErrorCode.PlatformWithoutRuntimeIdentifier, error.Code);
    }

    [Theory]
    [InlineData("linux/")]
    [InlineData("linux/arm64/v8/x")]
    [InlineData("windows(10.0.20348)")]
    public void MalformedPlatformEntryIsACodedError(string entry)
    {
        Assert.Equal(ErrorCode.InvalidPlatform, Assert.Throws<MabException>(() => PlatformSpec.Parse(entry)).Code);
    }
}
