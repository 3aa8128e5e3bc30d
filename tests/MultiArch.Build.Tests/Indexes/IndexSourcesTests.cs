using MultiArch.Build.Diagnostics;
using MultiArch.Build.Indexes;
using MultiArch.Build.Registry;

namespace MultiArch.Build.Tests.Indexes;

public class IndexSourcesTests
{
    private static readonly ImageReference Target = ImageReference.Parse("reg.example:5000/team/app");
    private const string A = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string B = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    [Theory]
    [InlineData("reg.example:5000/team/app@" + A + ";reg.example:5000/other@" + B)]
    [InlineData("reg.example:5000/team/app@" + A + ", reg.example:5000/other@" + B)]
    [InlineData("  reg.example:5000/team/app@" + A + "\n\treg.example:5000/other@" + B + "  ")]
    [InlineData(A + " reg.example:5000/other@" + B)]
    [InlineData("@" + A + " reg.example:5000/other@" + B)]
    public void AnySeparatorAndBareDigestsGiveTheSameSources(string value)
    {
        var sources = IndexSources.Parse(value, Target);

        Assert.Equal(["reg.example:5000/team/app@" + A, "reg.example:5000/other@" + B], sources.Select(s => s.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ;, ")]
    public void NoSourcesIsACodedError(string value) =>
        Assert.Equal(ErrorCode.IndexNoSources, Assert.Throws<MabException>(() => IndexSources.Parse(value, Target)).Code);

    [Fact]
    public void SomethingThatIsNoReferenceIsACodedError()
    {
        var error = Assert.Throws<MabException>(() => IndexSources.Parse("reg.example/App@sha256:short", Target));

        Assert.Equal(ErrorCode.IndexSourceInvalid, error.Code);
        Assert.Contains("reg.example/App@sha256:short", error.Message);
    }
}
