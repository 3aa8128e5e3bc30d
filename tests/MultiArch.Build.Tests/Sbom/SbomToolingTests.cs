using MultiArch.Build.Images;
using MultiArch.Build.Indexes;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Push;
using MultiArch.Build.Sbom;
using MultiArch.Build.Testing;
using MultiArch.Build.Tests.Indexes;
using MultiArch.Build.Tests.Registry;
using static MultiArch.Build.Tests.Indexes.IndexFixtures;

namespace MultiArch.Build.Tests.Sbom;

/// <summary>SBOM referrers through the rest of the tooling: inspect lists them per platform, and a merge or append carries them along.</summary>
public class SbomToolingTests
{
    private static ImageArtifact WithSbom(ImageArtifact image, string content = "{\"spdxVersion\":\"SPDX-2.3\"}") =>
        image.WithReferrers([SbomArtifacts.Referrer(System.Text.Encoding.UTF8.GetBytes(content), image.Descriptor, DateTimeOffset.UnixEpoch)]);

    private static async Task<ImageArtifact> PushWithSbomAsync(IndexFixtures f, string repository, Platform platform, int seed)
    {
        var image = await f.PushImageAsync(repository, platform, seed);
        var attached = WithSbom(image, $"{{\"seed\":{seed}}}");
        await new RegistryDestination(f.Client, TestImages.Repo(repository)).WriteImageAsync(attached, [], CancellationToken.None);
        return attached;
    }

    [Fact]
    public async Task InspectListsTheSbomOfEachPlatform()
    {
        using var f = new IndexFixtures();
        var amd64 = await PushWithSbomAsync(f, "app", Amd64, 41);
        var arm64 = await f.PushImageAsync("app", Arm64, 42);
        await f.PushIndexAsync("app", "1.0", [amd64, arm64], []);

        var image = await ImageInspector.InspectAsync(new ImageSourceReader(new RegistryImageSource(f.Client, TestImages.Repo("app").WithTag("1.0"))), CancellationToken.None);

        Assert.Equal([amd64.Referrers[0].Descriptor.Digest], image.Manifests[0].Sboms.Select(s => s.Digest));
        Assert.Empty(image.Manifests[1].Sboms);
        var lines = InspectionReport.Format(image).ToList();
        Assert.Contains(lines, l => l.Contains($"SBOM {amd64.Referrers[0].Descriptor.Digest} (application/spdx+json, referrer)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InspectOfALayoutListsItsSboms()
    {
        using var folder = new TempFolder();
        using var f = new IndexFixtures();
        var index = IndexComposer.Compose([], [IndexEntry.Of(WithSbom(TestImages.TwoPlatformIndex(new MultiArch.Build.Blobs.MemoryBlobSource(), 43).Images[0]))]);
        await new OciLayoutDestination(folder.Path).WriteIndexAsync(index, ["1.0"], CancellationToken.None);

        using var source = await LayoutImageSource.OpenAsync($"oci:{folder.Path}:1.0", CancellationToken.None);
        var image = await ImageInspector.InspectAsync(new ImageSourceReader(source), CancellationToken.None);

        Assert.Equal([index.Images[0].Referrers[0].Descriptor.Digest], Assert.Single(image.Manifests).Sboms.Select(s => s.Digest));
        // The SBOMs listed beside the image are not images: the layout named without a ref still names its one image.
        using var unnamed = await LayoutImageSource.OpenAsync($"oci:{folder.Path}", CancellationToken.None);
        Assert.Equal(index.Descriptor.Digest, (await unnamed.TryGetTopAsync(CancellationToken.None))!.Digest);
    }

    [Fact]
    public async Task AMergeFromAnotherRepositoryCarriesTheReferrersAlong()
    {
        using var f = new IndexFixtures();
        var amd64 = await PushWithSbomAsync(f, "ci/amd64", Amd64, 44);
        var arm64 = await PushWithSbomAsync(f, "ci/arm64", Arm64, 45);

        var result = await f.MergeAsync($"{Ref("ci/amd64", amd64)} {Ref("ci/arm64", arm64)}");

        foreach (var image in new[] { amd64, arm64 })
        {
            var referrer = image.Referrers[0];
            Assert.True(f.Registry.HasManifest("app", referrer.Descriptor.Digest));
            Assert.True(f.Registry.HasBlob("app", referrer.Manifest.Layers[0].Digest));
            var tagged = f.Registry.Tag("app", Referrers.TagFor(image.Descriptor.Digest));
            Assert.NotNull(tagged);
            Assert.Equal(referrer.Descriptor.Digest, Assert.Single(OciJson.DeserializeIndex(f.Registry.Manifest("app", tagged.Value).Bytes).Manifests).Digest);
        }
        // The index lists the images only, as it would without SBOMs.
        Assert.Equal([amd64.Descriptor.Digest, arm64.Descriptor.Digest], f.IndexAt("app", "1.0").Manifests.Select(m => m.Digest));
        Assert.Equal(result.Index.Digest, f.Registry.Tag("app", "1.0"));
    }

    [Fact]
    public async Task AnAppendKeepsTheReferrersOfTheImagesItAdds()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("app", Amd64, 46);
        await f.PushIndexAsync("app", "1.0", [amd64], []);
        var arm64 = await PushWithSbomAsync(f, "ci/arm64", Arm64, 47);

        await f.MergeAsync(Ref("ci/arm64", arm64), append: true);

        Assert.Equal([amd64.Descriptor.Digest, arm64.Descriptor.Digest], f.IndexAt("app", "1.0").Manifests.Select(m => m.Digest));
        Assert.NotNull(f.Registry.Tag("app", Referrers.TagFor(arm64.Descriptor.Digest)));
    }
}
