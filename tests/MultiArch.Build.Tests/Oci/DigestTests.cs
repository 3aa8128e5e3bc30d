using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Oci;

public class DigestTests
{
    private const string EmptySha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void ComputesLowercaseSha256()
    {
        Assert.Equal(EmptySha256, Digest.Compute([]).ToString());
        Assert.Equal("sha256", Digest.Compute("abc"u8).Algorithm);
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Digest.Compute("abc"u8).ToString());
    }

    [Fact]
    public void AcceptsSha512WhenReading()
    {
        string hex = new('a', 128);
        var digest = Digest.Parse("sha512:" + hex);
        Assert.Equal("sha512", digest.Algorithm);
        Assert.Equal(hex, digest.Hex);
    }

    [Theory]
    [InlineData("")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256:abc")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void RejectsMalformedDigestsWithCode(string value)
    {
        var ex = Assert.Throws<MabException>(() => Digest.Parse(value));
        Assert.Equal(ErrorCode.InvalidDigest, ex.Code);
        Assert.False(Digest.TryParse(value, out _));
    }


    [Fact]
    public void Sha512MatchesItsContent()
    {
        byte[] content = "hello"u8.ToArray();
        string hex = Convert.ToHexString(System.Security.Cryptography.SHA512.HashData(content)).ToLowerInvariant();
        Assert.True(Digest.Parse("sha512:" + hex).Matches(content));
        Assert.False(Digest.Parse("sha512:" + hex).Matches("hellp"u8));
    }
}
