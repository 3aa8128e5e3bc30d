using MultiArch.Build.Diagnostics;
using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tests.Publishing;

public class PlatformBasesTests
{
    private static readonly IReadOnlyList<PlatformTarget> Targets = PlatformSpec.ParseList("linux-x64;linux-arm64;linux-musl-arm");

    [Fact]
    public void AnItemBeatsContainerBaseImageWhichBeatsTheInferredImage()
    {
        var bases = PlatformBases.Choose(Targets, [("linux-arm64", " r/arm-base:1 "), ("linux-x64", "")], "x", "r/base:2", AppKind.Runtime, "10.0", null, null);

        Assert.Equal(["r/base:2", "r/arm-base:1", "r/base:2"], bases.Select(b => b.BaseImage));
        Assert.All(bases, b => Assert.False(b.Inferred));
    }

    [Fact]
    public void WithoutEitherTheSdksImageIsInferredPerPlatformAndMarked()
    {
        var bases = PlatformBases.Choose(Targets, [("linux/arm64", "r/arm-base:1")], "x", " ", AppKind.AspNet, "10.0", null, "mirror.test/");

        Assert.Equal(["mirror.test/dotnet/aspnet:10.0", "r/arm-base:1", "mirror.test/dotnet/aspnet:10.0-alpine"], bases.Select(b => b.BaseImage));
        Assert.Equal([true, false, true], bases.Select(b => b.Inferred));
    }

    [Fact]
    public void AnItemForAPlatformNotListedIsACodedError()
    {
        var error = Assert.Throws<MabException>(() => PlatformBases.Choose(Targets, [("linux-s390x", "r/b:1")], "linux-x64;linux-arm64;linux-musl-arm", null, AppKind.Runtime, "10.0", null, null));

        Assert.Equal(ErrorCode.PlatformOverrideNotListed, error.Code);
        Assert.Contains("linux-x64;linux-arm64;linux-musl-arm", error.Message);
    }
}
