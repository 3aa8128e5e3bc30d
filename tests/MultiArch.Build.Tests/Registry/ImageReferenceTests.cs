using MultiArch.Build.Diagnostics;
using MultiArch.Build.Registry;

namespace MultiArch.Build.Tests.Registry;

public class ImageReferenceTests
{
    private const string Hex = "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4";

    [Theory]
    [InlineData("alpine", "docker.io", "library/alpine", null)]
    [InlineData("alpine:3.20", "docker.io", "library/alpine", "3.20")]
    [InlineData("user/app:v1", "docker.io", "user/app", "v1")]
    [InlineData("docker.io/alpine", "docker.io", "library/alpine", null)]
    [InlineData("index.docker.io/library/alpine:edge", "docker.io", "library/alpine", "edge")]
    [InlineData("localhost/app", "localhost", "app", null)]
    [InlineData("localhost:5000/team/app:1.0", "localhost:5000", "team/app", "1.0")]
    [InlineData("127.0.0.1:5000/app", "127.0.0.1:5000", "app", null)]
    [InlineData("[::1]:5000/app:x", "[::1]:5000", "app", "x")]
    [InlineData("[fe80::1]/app", "[fe80::1]", "app", null)]
    [InlineData("mcr.microsoft.com/dotnet/runtime:8.0-jammy", "mcr.microsoft.com", "dotnet/runtime", "8.0-jammy")]
    [InlineData("registry.example.com/a.b/c__d/e-f--g:_tag.1-X", "registry.example.com", "a.b/c__d/e-f--g", "_tag.1-X")]
    public void ParsesWithDockerRules(string text, string registry, string repository, string? tag)
    {
        var reference = ImageReference.Parse(text);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Null(reference.Digest);
    }

    [Fact]
    public void ParsesDigestsWithAndWithoutTags()
    {
        var both = ImageReference.Parse($"localhost:5000/app:1.0@sha256:{Hex}");
        Assert.Equal("1.0", both.Tag);
        Assert.Equal($"sha256:{Hex}", both.Digest.ToString());
        Assert.Equal($"sha256:{Hex}", both.ManifestReference);
        Assert.Equal($"localhost:5000/app:1.0@sha256:{Hex}", both.ToString());
        var digestOnly = ImageReference.Parse($"app@sha256:{Hex}");
        Assert.Null(digestOnly.Tag);
        Assert.Equal($"docker.io/library/app@sha256:{Hex}", digestOnly.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("App", "lowercase")]
    [InlineData("localhost:5000/Team/app", "lowercase")]
    [InlineData("app:-x", "tag '-x'")]
    [InlineData("app:.x", "tag '.x'")]
    [InlineData("app:tág", "tag 'tág'")]
    [InlineData("app/", "part ''")]
    [InlineData("a//b", "part ''")]
    [InlineData("app_/x", "part 'app_'")]
    [InlineData("a___b", "part 'a___b'")]
    [InlineData("app@sha256:abc", "not a digest")]
    [InlineData("-bad.host:5000/app", "registry '-bad.host:5000'")]
    [InlineData(" app", "white space")]
    public void RejectsWhatDockerRejects(string text, string problem)
    {
        var error = Assert.Throws<MabException>(() => ImageReference.Parse(text));
        Assert.Equal(ErrorCode.InvalidImageReference, error.Code);
        Assert.Contains(problem, error.Message);
        Assert.False(ImageReference.TryParse(text, out _));
    }

    [Fact]
    public void TagsLongerThan128AreRejected()
    {
        Assert.True(ImageReference.TryParse("app:" + new string('a', 128), out _));
        Assert.False(ImageReference.TryParse("app:" + new string('a', 129), out _));
    }

    [Fact]
    public void WithTagAndWithDigestKeepTheRepository()
    {
        var reference = ImageReference.Parse("localhost:5000/app:1");
        var tagged = reference.WithTag("2");
        Assert.Equal("localhost:5000/app:2", tagged.ToString());
        var digest = MultiArch.Build.Oci.Digest.Parse($"sha256:{Hex}");
        Assert.Equal($"localhost:5000/app:1@sha256:{Hex}", reference.WithDigest(digest).ToString());
        Assert.Equal(ErrorCode.InvalidImageReference, Assert.Throws<MabException>(() => reference.WithTag("no/slash")).Code);
    }
}
