using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tests.Publishing;

public class OciAnnotationsTests
{
    private static readonly Digest IndexDigest = Digest.Compute("base index"u8);
    private static readonly Digest Arm64Digest = Digest.Compute("base arm64"u8);

    [Fact]
    public void GeneratedValuesGetCreatedLeaveBlanksOutAndYieldToTheUsersOwn()
    {
        var created = DateTimeOffset.FromUnixTimeSeconds(1700000000);
        var result = OciAnnotations.Combine(
            [(OciAnnotations.Version, "1.2.3"), (OciAnnotations.Revision, ""), (OciAnnotations.Source, "https://example.com/a:b;c"), (OciAnnotations.Title, "App")],
            created,
            new Dictionary<string, string> { [OciAnnotations.Title] = "Mine" });

        Assert.Equal("2023-11-14T22:13:20Z", result[OciAnnotations.Created]);
        Assert.Equal("1.2.3", result[OciAnnotations.Version]);
        Assert.Equal("https://example.com/a:b;c", result[OciAnnotations.Source]);
        Assert.Equal("Mine", result[OciAnnotations.Title]);
        Assert.False(result.ContainsKey(OciAnnotations.Revision));
    }

    [Fact]
    public void TheUnixEpochIsTheCreatedTimeWithoutSourceDateEpoch()
    {
        var result = OciAnnotations.Combine([], ReproducibleTime.Created(""), new Dictionary<string, string>());

        Assert.Equal("1970-01-01T00:00:00Z", result[OciAnnotations.Created]);
    }

    [Fact]
    public void AManifestNamesItsPlatformsBaseManifestAndTheIndexNamesTheBaseIndex()
    {
        var origin = new BaseImageOrigin("reg/dotnet/runtime:10.0", IndexDigest, Arm64Digest);

        var manifest = OciAnnotations.WithBase(new Dictionary<string, string>(), origin);
        var index = OciAnnotations.WithBase(new Dictionary<string, string>(), origin, forIndex: true);

        Assert.Equal("reg/dotnet/runtime:10.0", manifest[OciAnnotations.BaseName]);
        Assert.Equal(Arm64Digest.ToString(), manifest[OciAnnotations.BaseDigest]);
        Assert.Equal(IndexDigest.ToString(), index[OciAnnotations.BaseDigest]);
        Assert.Empty(OciAnnotations.WithBase(new Dictionary<string, string>(), null));
    }

    [Fact]
    public void GeneratedAnnotationsGoOnOciDocumentsOnlyAndYieldToTheUsersOwn()
    {
        var generated = new Dictionary<string, string> { [OciAnnotations.Version] = "1.0.0", [OciAnnotations.Title] = "App" };
        var own = new Dictionary<string, string> { [OciAnnotations.Title] = "Mine", ["com.example.team"] = "core" };
        var origin = new BaseImageOrigin("reg/base:1", IndexDigest, Arm64Digest);

        var oci = OciAnnotations.ForManifest(generated, origin, own, ImageFormat.Oci);
        var docker = OciAnnotations.ForManifest(generated, origin, own, ImageFormat.Docker);
        var off = OciAnnotations.ForManifest(new Dictionary<string, string>(), origin, own, ImageFormat.Oci);

        Assert.Equal("1.0.0", oci[OciAnnotations.Version]);
        Assert.Equal("Mine", oci[OciAnnotations.Title]);
        Assert.Equal(Arm64Digest.ToString(), oci[OciAnnotations.BaseDigest]);
        Assert.Equal(own, docker);
        Assert.Equal(own, off);
    }

    [Fact]
    public void TheIndexNamesABaseOnlyWhenEveryPlatformSharesIt()
    {
        BaseImage With(string name, Digest? index) =>
            Tests.Images.TestBases.Scratch(new Platform { OS = "linux", Architecture = "amd64" }) with { Origin = new BaseImageOrigin(name, index, Arm64Digest) };

        Assert.NotNull(OciAnnotations.SharedOrigin([With("a", IndexDigest), With("a", IndexDigest)]));
        Assert.Null(OciAnnotations.SharedOrigin([With("a", IndexDigest), With("b", IndexDigest)]));
        Assert.Null(OciAnnotations.SharedOrigin([With("a", IndexDigest), Tests.Images.TestBases.Scratch(new Platform { OS = "linux", Architecture = "arm64" })]));
    }
}
