using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Tool.Tests;

public sealed class ToolFailuresTests
{
    [Fact]
    public void ACodedFailureKeepsItsCode()
    {
        var coded = new MabException(ErrorCode.InspectImageNotFound, "gone");

        Assert.Same(coded, Assert.Single(ToolFailures.Coded(coded, "inspect")));
    }

    [Fact]
    public void EveryFailureOfAnAggregateIsReported()
    {
        var failure = new AggregateException(new MabException(ErrorCode.IndexSourceNotFound, "a"), new AggregateException(new MabException(ErrorCode.IndexSourceInvalid, "b")));

        Assert.Equal([ErrorCode.IndexSourceNotFound, ErrorCode.IndexSourceInvalid], ToolFailures.Coded(failure, "index create").Select(e => e.Code));
    }

    [Fact]
    public void AFileFailureAndAnythingElseGetThePackagesCodes()
    {
        var file = Assert.Single(ToolFailures.Coded(new UnauthorizedAccessException("no"), "index create"));
        var other = Assert.Single(ToolFailures.Coded(new InvalidOperationException("odd"), "inspect"));

        Assert.Equal(ErrorCode.FileSystemFailure, file.Code);
        Assert.Equal(ErrorCode.UnexpectedFailure, other.Code);
        Assert.Contains("multiarch inspect failed unexpectedly: InvalidOperationException: odd.", other.Message);
        Assert.Contains("-v detailed", other.Message);
    }

    [Fact]
    public void OnlyACancelTheUserAskedForIsACancel()
    {
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();

        Assert.True(ToolFailures.IsCancel(new TaskCanceledException(), canceled.Token));
        Assert.True(ToolFailures.IsCancel(new AggregateException(new OperationCanceledException()), canceled.Token));
        Assert.False(ToolFailures.IsCancel(new TaskCanceledException(), CancellationToken.None));
        Assert.False(ToolFailures.IsCancel(new MabException(ErrorCode.IndexSourceNotFound, "x"), canceled.Token));
    }
}
