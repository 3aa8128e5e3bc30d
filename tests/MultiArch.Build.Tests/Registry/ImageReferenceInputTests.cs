using MultiArch.Build.Diagnostics;
using MultiArch.Build.Registry;

namespace MultiArch.Build.Tests.Registry;

public sealed class ImageReferenceInputTests
{
    [Theory]
    [InlineData("ghcr.io/owner/app:1.0")]
    [InlineData("localhost:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("[::1]:5000/team/app:V1")]
    public void AValidReferenceIsTakenAsWrittenWithNoWarning(string text)
    {
        var parsed = ImageReferenceInput.Parse(text);

        Assert.Equal(text, parsed.Reference.ToString());
        Assert.Null(parsed.Warning);
    }

    [Theory]
    [InlineData("ghcr.io/Owner/My-App:Release-1", "ghcr.io/owner/my-app:Release-1")]
    [InlineData("LOCALHOST:5000/Team/App", "localhost:5000/team/app")]
    [InlineData("Owner/App:Latest", "docker.io/owner/app:Latest")]
    [InlineData("127.0.0.1:5000/Owner/App:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "127.0.0.1:5000/owner/app:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void CapitalLettersInTheNameAreLoweredWithAWarningAndTheTagIsKept(string text, string expected)
    {
        var parsed = ImageReferenceInput.Parse(text);

        Assert.Equal(expected, parsed.Reference.ToString());
        Assert.Contains($"'{text}'", parsed.Warning);
        Assert.Contains($"'{expected}'", parsed.Warning);
    }

    [Theory]
    [InlineData("ghcr.io/Owner/my app:1")]
    [InlineData("ghcr.io/owner/app:-bad")]
    [InlineData("")]
    public void AnyOtherProblemIsTheCoresErrorNamingTheReferenceAsWritten(string text)
    {
        var error = Assert.Throws<MabException>(() => ImageReferenceInput.Parse(text));

        Assert.Equal(ErrorCode.InvalidImageReference, error.Code);
        Assert.Contains($"'{text}'", error.Message);
        Assert.Null(ImageReferenceInput.TryParse(text));
    }
}
