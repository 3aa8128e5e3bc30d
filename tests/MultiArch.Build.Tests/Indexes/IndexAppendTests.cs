using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using static MultiArch.Build.Tests.Indexes.IndexFixtures;

namespace MultiArch.Build.Tests.Indexes;

/// <summary>
/// ContainerIndexAppend replaces, never duplicates: platforms are compared as containerd compares them
/// (<c>linux/arm64</c> is <c>linux/arm64/v8</c>), and an image already listed is not listed twice.
/// </summary>
public class IndexAppendTests
{
    /// <summary>An arm64 image whose config has no variant, as many base images' configs are.</summary>
    private static readonly Platform Arm64NoVariant = new() { OS = "linux", Architecture = "arm64" };

    /// <summary>Rewrites the platforms of the index a tag names, the way a one-shot publish lists them from its base index.</summary>
    private static void RelistAs(IndexFixtures f, string tag, params Platform[] platforms)
    {
        var index = f.IndexAt("app", tag);
        for (int i = 0; i < platforms.Length; i++) index.Manifests[i].Platform = platforms[i].Clone();
        f.Registry.PutManifest("app", MediaTypes.OciIndex, OciJson.Serialize(index), tag);
    }

    [Fact]
    public async Task AnImageWhoseConfigSaysArm64ReplacesTheArm64V8EntryInPlace()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("app", Amd64, 1);
        var oldArm = await f.PushImageAsync("app", Arm64, 2);
        await f.PushIndexAsync("app", "1.0", [oldArm, amd64], []);
        var rebuilt = await f.PushImageAsync("app", Arm64NoVariant, 3);

        await f.MergeAsync(rebuilt.Descriptor.Digest.ToString(), append: true);

        var entries = f.IndexAt("app", "1.0").Manifests;
        Assert.Equal([rebuilt.Descriptor.Digest, amd64.Descriptor.Digest], entries.Select(e => e.Digest));
        Assert.Equal(["linux/arm64", "linux/amd64"], entries.Select(e => e.Platform!.ToString()));
    }

    [Fact]
    public async Task AppendingAnImageTheIndexAlreadyListsKeepsOneEntry()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("app", Amd64, 4);
        var arm = await f.PushImageAsync("app", Arm64NoVariant, 5);
        await f.PushIndexAsync("app", "1.0", [amd64, arm], []);
        RelistAs(f, "1.0", Amd64, Arm64);

        await f.MergeAsync(arm.Descriptor.Digest.ToString(), append: true);
        await f.MergeAsync($"{arm.Descriptor.Digest} {amd64.Descriptor.Digest}", append: true);

        var entries = f.IndexAt("app", "1.0").Manifests;
        Assert.Equal([amd64.Descriptor.Digest, arm.Descriptor.Digest], entries.Select(e => e.Digest));
        // The entry now says what the image's config says.
        Assert.Equal(["linux/amd64", "linux/arm64"], entries.Select(e => e.Platform!.ToString()));
    }

    [Fact]
    public async Task AnIndexThatListsAPlatformTwiceComesOutWithTheNewImageOnly()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("app", Amd64, 6);
        var first = await f.PushImageAsync("app", Arm64, 7);
        var second = await f.PushImageAsync("app", Arm64NoVariant, 8);
        var firstAttestation = f.Attestation(first, 9);
        // What an append that compared platforms literally left behind.
        await f.PushIndexAsync("app", "1.0", [amd64, first, second], [firstAttestation]);
        var rebuilt = await f.PushImageAsync("app", Arm64NoVariant, 10);

        await f.MergeAsync(rebuilt.Descriptor.Digest.ToString(), append: true);

        var entries = f.IndexAt("app", "1.0").Manifests;
        Assert.Equal([amd64.Descriptor.Digest, rebuilt.Descriptor.Digest], entries.Select(e => e.Digest));
    }

    [Fact]
    public async Task TwoSourcesForOnePlatformInDifferentSpellingsAreRefused()
    {
        using var f = new IndexFixtures();
        var v8 = await f.PushImageAsync("app", Arm64, 11);
        var plain = await f.PushImageAsync("app", Arm64NoVariant, 12);

        var error = await Assert.ThrowsAsync<MabException>(() => f.MergeAsync($"{v8.Descriptor.Digest} {plain.Descriptor.Digest}"));

        Assert.Equal(ErrorCode.DuplicateIndexPlatform, error.Code);
        Assert.Null(f.Registry.Tag("app", "1.0"));
    }
}
