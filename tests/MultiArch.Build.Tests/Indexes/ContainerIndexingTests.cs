using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Indexes;
using MultiArch.Build.Oci;
using MultiArch.Build.Tests.Registry;
using static MultiArch.Build.Tests.Indexes.IndexFixtures;

namespace MultiArch.Build.Tests.Indexes;

public class ContainerIndexingTests
{
    [Fact]
    public async Task MergeListsEachPushedImageWithThePlatformOfItsConfigAndTagsOnlyTheIndex()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("app", Amd64, 1);
        var arm64 = await f.PushImageAsync("app", Arm64, 2);
        Assert.Equal(0, f.Registry.TagCount("app"));
        f.Registry.Requests.Clear();

        // White space separates sources, and a bare digest means the target repository.
        var result = await f.MergeAsync($"{Ref("app", amd64)}\n  {arm64.Descriptor.Digest}");

        var index = f.IndexAt("app", "1.0");
        Assert.Equal(result.Index.Digest, f.Registry.Tag("app", "1.0"));
        Assert.Equal(MediaTypes.OciIndex, index.MediaType);
        Assert.Equal([amd64.Descriptor.Digest, arm64.Descriptor.Digest], index.Manifests.Select(m => m.Digest));
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], index.Manifests.Select(m => m.Platform!.ToString()));
        Assert.Equal(1, f.Registry.TagCount("app"));
        // Both images were already in the repository: no blob was sent again.
        Assert.DoesNotContain(f.Registry.Requests, r => r.Method is "POST" or "PATCH");
    }

    [Fact]
    public async Task PlatformComesFromTheConfigNotFromWhatASourceIndexClaimed()
    {
        using var f = new IndexFixtures();
        var arm64 = await f.PushImageAsync("app", Arm64, 3);
        var vague = await f.PushIndexAsync("app", "vague", [arm64], []);
        // Rewrite the source index so its entry drops the variant and claims an os.version.
        var wrong = OciJson.DeserializeIndex(vague.IndexBytes);
        wrong.Manifests[0].Platform = new Platform { OS = "linux", Architecture = "arm64", OSVersion = "claimed" };
        f.Registry.PutManifest("app", MediaTypes.OciIndex, OciJson.Serialize(wrong), "vague");

        await f.MergeAsync($"{FakeRegistry.Host}/app:vague");

        var entry = Assert.Single(f.IndexAt("app", "1.0").Manifests);
        Assert.Equal("arm64", entry.Platform!.Architecture);
        Assert.Equal("v8", entry.Platform.Variant);
        Assert.Null(entry.Platform.OSVersion);
    }

    [Fact]
    public async Task SourcesInAnotherRepositoryAreMountedNotUploaded()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("ci/amd64", Amd64, 4);
        var arm64 = await f.PushImageAsync("ci/arm64", Arm64, 5);
        f.Registry.Requests.Clear();

        await f.MergeAsync($"{Ref("ci/amd64", amd64)};{Ref("ci/arm64", arm64)}", repository: "app");

        foreach (var blob in amd64.Blobs.Concat(arm64.Blobs))
        {
            Assert.True(f.Registry.HasBlob("app", blob.Descriptor.Digest));
            Assert.Contains(f.Registry.RequestsFor(blob.Descriptor.Digest), r => r.Method == "POST" && r.PathAndQuery.Contains("mount=", StringComparison.Ordinal));
        }
        Assert.DoesNotContain(f.Registry.Requests, r => r.Method is "PATCH" || r.Method == "PUT" && r.PathAndQuery.Contains("/blobs/uploads/", StringComparison.Ordinal));
        Assert.True(f.Registry.HasManifest("app", amd64.Descriptor.Digest));
        Assert.True(f.Registry.HasManifest("app", arm64.Descriptor.Digest));
    }

    [Fact]
    public async Task AnIndexSourceIsFlattenedAndItsAttestationsStayWithTheirSubjects()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("ci", Amd64, 6);
        var arm64 = await f.PushImageAsync("ci", Arm64, 7);
        var amd64Attestation = f.Attestation(amd64, 8);
        var arm64Attestation = f.Attestation(arm64, 9);
        await f.PushIndexAsync("ci", "built", [amd64, arm64], [amd64Attestation, arm64Attestation]);
        var armv7 = await f.PushImageAsync("ci", ArmV7, 10);

        await f.MergeAsync($"{FakeRegistry.Host}/ci:built {Ref("ci", armv7)}", repository: "app");

        var entries = f.IndexAt("app", "1.0").Manifests;
        Assert.Equal([amd64.Descriptor.Digest, arm64.Descriptor.Digest, armv7.Descriptor.Digest, amd64Attestation.Entry.Digest, arm64Attestation.Entry.Digest], entries.Select(e => e.Digest));
        Assert.Equal(amd64.Descriptor.Digest, Attestations.SubjectOf(entries[3]));
        Assert.Equal(arm64.Descriptor.Digest, Attestations.SubjectOf(entries[4]));
        Assert.Equal("unknown/unknown", entries[3].Platform!.ToString());
        Assert.True(f.Registry.HasManifest("app", amd64Attestation.Entry.Digest));
    }

    [Fact]
    public async Task AppendReplacesAPlatformKeepsTheOthersAndDropsTheReplacedImagesAttestation()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("app", Amd64, 11);
        var arm64 = await f.PushImageAsync("app", Arm64, 12);
        var oldAttestation = f.Attestation(amd64, 13);
        var armAttestation = f.Attestation(arm64, 14);
        await f.PushIndexAsync("app", "1.0", [amd64, arm64], [oldAttestation, armAttestation]);
        var newAmd64 = await f.PushImageAsync("app", Amd64, 15);
        var armv7 = await f.PushImageAsync("app", ArmV7, 16);

        await f.MergeAsync($"{newAmd64.Descriptor.Digest} {armv7.Descriptor.Digest}", append: true);

        var entries = f.IndexAt("app", "1.0").Manifests;
        Assert.Equal([newAmd64.Descriptor.Digest, arm64.Descriptor.Digest, armv7.Descriptor.Digest, armAttestation.Entry.Digest], entries.Select(e => e.Digest));
        Assert.Equal(["linux/amd64", "linux/arm64/v8", "linux/arm/v7", "unknown/unknown"], entries.Select(e => e.Platform!.ToString()));
    }

    [Fact]
    public async Task AppendToATagThatDoesNotExistMakesANewIndex()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("app", Amd64, 17);

        await f.MergeAsync(amd64.Descriptor.Digest.ToString(), "app", true, "edge");

        Assert.Equal([amd64.Descriptor.Digest], f.IndexAt("app", "edge").Manifests.Select(m => m.Digest));
        Assert.Contains("does not exist yet", f.Log.All);
    }

    [Fact]
    public async Task MixingOciAndDockerIsRefusedBeforeAnythingIsWritten()
    {
        using var f = new IndexFixtures();
        var oci = await f.PushImageAsync("app", Amd64, 18);
        var docker = await f.PushImageAsync("app", Arm64, 19, ImageFormat.Docker);

        var error = await Assert.ThrowsAsync<MabException>(() => f.MergeAsync($"{oci.Descriptor.Digest} {docker.Descriptor.Digest}"));

        Assert.Equal(ErrorCode.MixedIndexFormats, error.Code);
        Assert.Null(f.Registry.Tag("app", "1.0"));
    }

    [Fact]
    public async Task DockerSourcesMakeADockerManifestList()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("app", Amd64, 20, ImageFormat.Docker);
        var arm64 = await f.PushImageAsync("app", Arm64, 21, ImageFormat.Docker);

        var generated = new Dictionary<string, string> { ["org.opencontainers.image.version"] = "1.0.0" };
        var own = new Dictionary<string, string> { ["com.example.team"] = "core" };

        var built = IndexComposer.Compose([], await ReadAsync(f, amd64, arm64), own, generated);

        var index = built.Index;
        Assert.Equal(MediaTypes.DockerManifestList, index.MediaType);
        // The Docker schema has no annotations: only what the user asked for is written, nothing generated.
        Assert.Equal(own, index.Annotations);
    }

    [Fact]
    public async Task AnOciIndexGetsTheGeneratedAnnotationsUnderTheUsersOwn()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("app", Amd64, 24);
        var generated = new Dictionary<string, string> { ["org.opencontainers.image.version"] = "1.0.0", ["com.example.team"] = "generated" };
        var own = new Dictionary<string, string> { ["com.example.team"] = "core" };

        var built = IndexComposer.Compose([], await ReadAsync(f, amd64), own, generated);

        Assert.Equal("1.0.0", built.Index.Annotations!["org.opencontainers.image.version"]);
        Assert.Equal("core", built.Index.Annotations["com.example.team"]);
    }

    private static async Task<List<IndexEntry>> ReadAsync(IndexFixtures f, params MultiArch.Build.Images.ImageArtifact[] images)
    {
        var reader = new IndexEntryReader(TestImages.Repo("app"));
        var entries = new List<IndexEntry>();
        foreach (var image in images)
            entries.AddRange(await reader.ReadAsync(new MultiArch.Build.Images.ImageSourceReader(new MultiArch.Build.Registry.RegistryImageSource(f.Client, TestImages.Repo("app").WithDigest(image.Descriptor.Digest))), CancellationToken.None));
        return entries;
    }

    [Fact]
    public async Task TwoImagesForOnePlatformAreRefused()
    {
        using var f = new IndexFixtures();
        var first = await f.PushImageAsync("app", Amd64, 22);
        var second = await f.PushImageAsync("app", Amd64, 23);

        var error = await Assert.ThrowsAsync<MabException>(() => f.MergeAsync($"{first.Descriptor.Digest} {second.Descriptor.Digest}"));

        Assert.Equal(ErrorCode.DuplicateIndexPlatform, error.Code);
        // The same image twice is just one entry.
        await f.MergeAsync($"{first.Descriptor.Digest} {Ref("app", first)}");
        Assert.Single(f.IndexAt("app", "1.0").Manifests);
    }

    [Fact]
    public async Task AMissingSourceIsACodedError()
    {
        using var f = new IndexFixtures();
        var missing = Digest.Compute("nothing"u8);

        var error = await Assert.ThrowsAsync<MabException>(() => f.MergeAsync(missing.ToString()));

        Assert.Equal(ErrorCode.IndexSourceNotFound, error.Code);
        Assert.Contains(missing.ToString(), error.Message);
    }
}
