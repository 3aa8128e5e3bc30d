using MultiArch.Build.Diagnostics;
using MultiArch.Build.Platforms;

namespace MultiArch.Build.Tests.Platforms;

public class RidPlatformTableTests
{
    [Theory]
    [InlineData("linux-x64", "linux/amd64")]
    [InlineData("linux-musl-x64", "linux/amd64")]
    [InlineData("linux-arm64", "linux/arm64")]
    [InlineData("linux-musl-arm64", "linux/arm64")]
    [InlineData("linux-arm", "linux/arm/v7")]
    [InlineData("linux-musl-arm", "linux/arm/v7")]
    [InlineData("linux-armv6", "linux/arm/v6")]
    [InlineData("linux-x86", "linux/386")]
    [InlineData("linux-s390x", "linux/s390x")]
    [InlineData("linux-ppc64le", "linux/ppc64le")]
    [InlineData("linux-riscv64", "linux/riscv64")]
    [InlineData("linux-loongarch64", "linux/loong64")]
    [InlineData("win-x64", "windows/amd64")]
    [InlineData("win-arm64", "windows/arm64")]
    [InlineData("win-x86", "windows/386")]
    [InlineData("Linux-X64", "linux/amd64")]
    public void MapsRidToPlatform(string rid, string platform)
    {
        Assert.Equal(platform, PlatformFormatter.Format(RidPlatformTable.GetPlatform(rid)));
        Assert.True(RidPlatformTable.TryGetPlatform(rid, out var found));
        Assert.Equal(PlatformParser.Parse(platform).Architecture, found.Architecture);
    }

    [Theory]
    [InlineData("linux/amd64", false, "linux-x64")]
    [InlineData("linux/amd64", true, "linux-musl-x64")]
    [InlineData("linux/x86_64", false, "linux-x64")]
    [InlineData("linux/amd64/v3", false, "linux-x64")]
    [InlineData("linux/arm64", false, "linux-arm64")]
    [InlineData("linux/arm64/v8", false, "linux-arm64")]
    [InlineData("linux/arm64/v8", true, "linux-musl-arm64")]
    [InlineData("linux/aarch64", false, "linux-arm64")]
    [InlineData("linux/arm64/v8.2", false, "linux-arm64")]
    [InlineData("linux/arm", false, "linux-arm")]
    [InlineData("linux/arm/v7", false, "linux-arm")]
    [InlineData("linux/arm/v7", true, "linux-musl-arm")]
    [InlineData("linux/armhf", false, "linux-arm")]
    [InlineData("linux/arm/v6", false, "linux-armv6")]
    [InlineData("linux/armel", false, "linux-armv6")]
    [InlineData("linux/386", false, "linux-x86")]
    [InlineData("linux/i386", false, "linux-x86")]
    [InlineData("linux/s390x", false, "linux-s390x")]
    [InlineData("linux/ppc64le", false, "linux-ppc64le")]
    [InlineData("linux/riscv64", false, "linux-riscv64")]
    [InlineData("linux/loong64", false, "linux-loongarch64")]
    [InlineData("windows/amd64", false, "win-x64")]
    [InlineData("windows/amd64", true, "win-x64")]
    [InlineData("windows(10.0.20348)/amd64", false, "win-x64")]
    [InlineData("windows/arm64", false, "win-arm64")]
    [InlineData("windows/386", false, "win-x86")]
    public void MapsPlatformToRid(string platform, bool musl, string rid)
    {
        Assert.Equal(rid, RidPlatformTable.GetRid(PlatformParser.Parse(platform), musl));
    }

    [Fact]
    public void EveryKnownRidRoundTrips()
    {
        Assert.Equal(RidPlatformTable.KnownRids.Count, RidPlatformTable.KnownRids.Distinct().Count());
        Assert.Contains("linux-musl-arm", RidPlatformTable.KnownRids);
        Assert.True(RidPlatformTable.IsMusl(" Linux-Musl-X64 "));
        Assert.False(RidPlatformTable.IsMusl("win-x64"));
        foreach (string rid in RidPlatformTable.KnownRids)
        {
            var platform = RidPlatformTable.GetPlatform(rid);
            Assert.Equal(rid, RidPlatformTable.GetRid(platform, RidPlatformTable.IsMusl(rid)));
            Assert.Equal(rid.Contains("-musl-"), RidPlatformTable.IsMusl(rid));
        }
    }

    [Fact]
    public void GetPlatformReturnsAFreshInstance()
    {
        var first = RidPlatformTable.GetPlatform("linux-arm");
        first.Variant = "v5";

        Assert.Equal("v7", RidPlatformTable.GetPlatform("linux-arm").Variant);
    }

    [Theory]
    [InlineData("osx-arm64")]
    [InlineData("linux-mips64")]
    [InlineData("linux")]
    [InlineData("")]
    public void UnknownRidIsACodedErrorListingKnownRids(string rid)
    {
        var error = Assert.Throws<MabException>(() => RidPlatformTable.GetPlatform(rid));

        Assert.Equal(ErrorCode.UnknownRuntimeIdentifier, error.Code);
        Assert.Contains("linux-x64, linux-arm64, linux-arm", error.Message);
        Assert.Contains("win-arm64", error.Message);
        Assert.False(RidPlatformTable.TryGetPlatform(rid, out _));
    }

    [Theory]
    [InlineData("linux/arm/v5")]
    [InlineData("linux/mips64")]
    [InlineData("darwin/arm64")]
    [InlineData("windows/arm/v7")]
    [InlineData("linux/arm64/v7")]
    public void PlatformWithoutRidIsACodedError(string platform)
    {
        var error = Assert.Throws<MabException>(() => RidPlatformTable.GetRid(PlatformParser.Parse(platform)));

        Assert.Equal(ErrorCode.PlatformWithoutRuntimeIdentifier, error.Code);
        Assert.Contains("linux/arm/v7", error.Message);
        Assert.Contains("linux-musl-x64", error.Message);
    }
}

public class PlatformErrorCodeTests
{
    [Fact]
    public void PlatformCodesStayInTheirRange()
    {
        string[] codes = [ErrorCode.InvalidPlatform, ErrorCode.UnknownRuntimeIdentifier, ErrorCode.PlatformWithoutRuntimeIdentifier, ErrorCode.DuplicatePlatform, ErrorCode.NoMatchingPlatform];

        Assert.All(codes, c => Assert.InRange(int.Parse(c[3..], System.Globalization.CultureInfo.InvariantCulture), 1100, 1199));
        Assert.Equal(codes.Length, codes.Distinct().Count());
    }
}
