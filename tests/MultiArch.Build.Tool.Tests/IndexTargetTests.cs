namespace MultiArch.Build.Tool.Tests;

public sealed class IndexTargetTests
{
    [Fact]
    public void TagsOfOneRepositoryMakeOneTarget()
    {
        var warnings = new List<string>();

        var target = IndexTarget.From(["reg.example:5000/Team/App:1.0", "reg.example:5000/team/app:latest", "reg.example:5000/team/app:1.0"], warnings.Add);

        Assert.Equal(("reg.example:5000", "team/app"), (target.Registry, target.Repository));
        Assert.Equal(["1.0", "latest"], target.Tags);
        Assert.Single(warnings);
    }

    [Theory]
    [InlineData("has a digest", "reg.example/app:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("has no tag", "reg.example/app")]
    [InlineData("every --tag must name the same one", "reg.example/app:1", "reg.example/other:1")]
    [InlineData("every --tag must name the same one", "reg.example/app:1", "other.example/app:1")]
    public void ProblemsWithTheSetAreNamed(string problem, params string[] tags)
    {
        Assert.Contains(problem, IndexTarget.Problem(tags));
    }

    [Fact]
    public void ReferencesThatDoNotParseAreLeftForTheCodedError()
    {
        Assert.Null(IndexTarget.Problem(["reg.example/app:1", "not a reference"]));
        Assert.Null(IndexTarget.Problem(["reg.example/App:1", "reg.example/app:2"]));
    }
}
