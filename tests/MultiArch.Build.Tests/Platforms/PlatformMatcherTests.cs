using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;
using static MultiArch.Build.Tests.Platforms.TestPlatforms;

namespace MultiArch.Build.Tests.Platforms;

public class PlatformMatcherTests
{
    public static TheoryData<string, string, bool> OnlyCases => ContainerdMatchExpectations.Flatten(ContainerdMatchExpectations.Only);
    public static TheoryData<string, string, bool> OnlyStrictCases => ContainerdMatchExpectations.Flatten(ContainerdMatchExpectations.OnlyStrict);

    [Theory]
    [MemberData(nameof(OnlyCases))]
    public void MatchesWhatContainerdOnlyMatches(string wanted, string candidate, bool expected)
    {
        var matcher = PlatformMatcher.For(PlatformParser.Parse(wanted));

        Assert.Equal(expected, matcher.Matches(PlatformParser.Parse(candidate)));
    }

    [Theory]
    [MemberData(nameof(OnlyStrictCases))]
    public void MatchesWhatContainerdOnlyStrictMatches(string wanted, string candidate, bool expected)
    {
        var matcher = PlatformMatcher.Strict(PlatformParser.Parse(wanted));

        Assert.Equal(expected, matcher.Matches(PlatformParser.Parse(candidate)));
    }

    // containerd's Only documentation: arm64/v8.x also matches v8.{0..x-1}; arm64/v9.x also
    // matches v9.{0..x-1} and v8.{0..x+5}, capped at v8.9.
    [Theory]
    [InlineData("linux/arm64/v8.2", "linux/arm64/v8.2", true)]
    [InlineData("linux/arm64/v8.2", "linux/arm64/v8.1", true)]
    [InlineData("linux/arm64/v8.2", "linux/arm64/v8", true)]
    [InlineData("linux/arm64/v8.2", "linux/arm64", true)]
    [InlineData("linux/arm64/v8.2", "linux/arm/v7", true)]
    [InlineData("linux/arm64/v8.2", "linux/arm64/v8.3", false)]
    [InlineData("linux/arm64/v8.2", "linux/arm64/v9", false)]
    [InlineData("linux/arm64/v9.2", "linux/arm64/v9.1", true)]
    [InlineData("linux/arm64/v9.2", "linux/arm64/v9", true)]
    [InlineData("linux/arm64/v9.2", "linux/arm64/v8.7", true)]
    [InlineData("linux/arm64/v9.2", "linux/arm64/v8.8", false)]
    [InlineData("linux/arm64/v9.2", "linux/arm64/v9.3", false)]
    [InlineData("linux/arm64/v9.5", "linux/arm64/v8.9", true)]
    [InlineData("linux/arm64", "linux/arm64/v8.0", true)]
    [InlineData("linux/arm64", "linux/arm64/v8.1", false)]
    public void FollowsArm64MinorVersions(string wanted, string candidate, bool expected)
    {
        Assert.Equal(expected, PlatformMatcher.For(PlatformParser.Parse(wanted)).Matches(PlatformParser.Parse(candidate)));
    }

    [Fact]
    public void UnknownArm64VariantStillMatchesItself()
    {
        var matcher = PlatformMatcher.For(PlatformParser.Parse("linux/arm64/v10"));

        Assert.True(matcher.Matches(PlatformParser.Parse("linux/arm64/v10")));
        Assert.False(matcher.Matches(PlatformParser.Parse("linux/arm64")));
    }

    // containerd platforms_test.go TestOnlyStrictMatchesOSFeatureSubset: an entry may only
    // require features the wanted platform has.
    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "erofs" }, true)]
    [InlineData(new[] { "erofs", "selinux" }, true)]
    [InlineData(new[] { "nydus" }, false)]
    [InlineData(new[] { "erofs", "nydus" }, false)]
    public void OSFeaturesMustBeASubset(string[] required, bool expected)
    {
        var matcher = PlatformMatcher.Strict(Of("linux", "amd64", features: ["selinux", "erofs"]));

        Assert.Equal(expected, matcher.Matches(Of("linux", "amd64", features: required)));
    }

    [Fact]
    public void PrefersEntryUsingMoreOfTheWantedFeatures()
    {
        // containerd TestOnlyStrictLessPrefersMoreSpecificOSFeatures.
        var matcher = PlatformMatcher.Strict(Of("linux", "amd64", features: "erofs"));
        var plain = Of("linux", "amd64");
        var erofs = Of("linux", "amd64", features: "erofs");

        Assert.True(matcher.Compare(erofs, plain) < 0);
        Assert.True(matcher.Compare(plain, erofs) > 0);

        var chosen = matcher.SelectBest([Manifest(plain, 1), Manifest(erofs, 2)]);
        Assert.Same(erofs, chosen!.Platform);
    }

    [Fact]
    public void PlainWantedPlatformRejectsEntriesThatNeedFeatures()
    {
        var matcher = PlatformMatcher.For(PlatformParser.Parse("linux/amd64"));

        Assert.False(matcher.Matches(PlatformParser.Parse("linux(+erofs)/amd64")));
    }

    [Theory]
    [InlineData("linux/arm64", new[] { "linux/arm/v7", "linux/arm64/v8", "linux/arm/v5" }, 1)]
    [InlineData("linux/arm64", new[] { "linux/arm/v5", "linux/arm/v6", "linux/arm/v7" }, 2)]
    [InlineData("linux/amd64/v3", new[] { "linux/386", "linux/amd64", "linux/amd64/v2" }, 2)]
    [InlineData("linux/amd64", new[] { "linux/386", "linux/amd64/v2", "linux/amd64" }, 2)]
    [InlineData("linux/arm/v7", new[] { "linux/arm/v5", "linux/arm/v6", "linux/arm" }, 2)]
    [InlineData("linux/arm/v7", new[] { "linux/arm/v5", "linux/arm/v8", "linux/arm/v6" }, 2)]
    [InlineData("linux/amd64", new[] { "linux/amd64", "linux/amd64" }, 0)]
    [InlineData("linux/arm64", new[] { "linux/arm64/v8", "linux/arm64" }, 0)]
    [InlineData("linux/arm64", new[] { "linux/arm64", "linux/arm64/v8" }, 0)]
    public void SelectsBestFallbackThenFirstInIndex(string wanted, string[] index, int expected)
    {
        var manifests = index.Select((p, i) => Manifest(PlatformParser.Parse(p), i)).ToList();

        var chosen = PlatformMatcher.For(PlatformParser.Parse(wanted)).SelectBest(manifests);

        Assert.Same(manifests[expected], chosen);
    }

    [Fact]
    public void SelectionReturnsTheIndexDescriptorUntouched()
    {
        var arm64v8 = new Descriptor
        {
            MediaType = MediaTypes.OciManifest,
            Digest = Digest.Compute("arm64"u8),
            Size = 1234,
            Platform = new Platform { OS = "linux", Architecture = "arm64", Variant = "v8" },
            Annotations = new StringMap { ["org.opencontainers.image.ref.name"] = "base" },
        };
        var manifests = new[] { Manifest(PlatformParser.Parse("linux/amd64"), 1), arm64v8 };

        var chosen = PlatformMatcher.For(RidPlatformTable.GetPlatform("linux-arm64")).SelectBest(manifests);

        Assert.Same(arm64v8, chosen);
        Assert.Equal("v8", chosen!.Platform!.Variant);
        Assert.Equal("linux/arm64/v8", PlatformFormatter.Format(chosen.Platform));
        Assert.Equal(1234, chosen.Size);
        Assert.Equal("base", chosen.Annotations!["org.opencontainers.image.ref.name"]);
    }

    [Fact]
    public void NeverChoosesAttestationEntries()
    {
        var attestation = Manifest(Of("unknown", "unknown"), 1);
        var annotated = Manifest(Of("linux", "amd64"), 2);
        annotated.Annotations = new StringMap { ["vnd.docker.reference.type"] = "attestation-manifest" };
        var real = Manifest(Of("linux", "amd64"), 3);

        Assert.Same(real, PlatformMatcher.For(Of("linux", "amd64")).SelectBest([attestation, annotated, real]));
        Assert.Null(PlatformMatcher.For(Of("unknown", "unknown")).SelectBest([attestation]));
        Assert.Null(PlatformMatcher.For(Of("linux", "amd64")).SelectBest([attestation, Manifest(null, 4)]));
    }

    [Fact]
    public void FormatsAvailablePlatformsForMessages()
    {
        var manifests = new[]
        {
            Manifest(Of("linux", "amd64"), 1),
            Manifest(Of("linux", "arm64", "v8"), 2),
            Manifest(Of("unknown", "unknown"), 3),
            Manifest(Of("windows", "amd64", null, "10.0.20348.2340"), 4),
        };

        Assert.Equal("linux/amd64, linux/arm64/v8, windows(10.0.20348.2340)/amd64", PlatformFormatter.FormatAvailable(manifests));
    }
}
