using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Images;

/// <summary>The publish side of <see cref="IndexComposer"/>: a new index from built images. Merge and append are in Indexes/.</summary>
public class IndexComposerTests
{
    private static ImageArtifact Image(ImageFormat format, Platform platform, string text = "app")
    {
        var source = new MemoryBlobSource();
        return ImageBuilder.Build(Tests.Images.TestBases.Scratch(platform, format), [TestBases.Layer(source, text)], new ImageConfigEdits());
    }

    private static IndexArtifact Build(IReadOnlyList<ImageArtifact> children, IReadOnlyDictionary<string, string>? annotations = null) =>
        IndexComposer.Compose([], children.Select(IndexEntry.Of).ToList(), annotations);

    private static Platform Linux(string architecture, string? variant = null) => new() { OS = "linux", Architecture = architecture, Variant = variant };

    [Fact]
    public void MixedFamiliesAreRefused()
    {
        var ex = Assert.Throws<MabException>(() => Build(
            [Image(ImageFormat.Oci, Linux("amd64")), Image(ImageFormat.Docker, Linux("arm64", "v8"))]));
        Assert.Equal(ErrorCode.MixedIndexFormats, ex.Code);
    }

    [Fact]
    public void DuplicatePlatformsAreRefused()
    {
        var ex = Assert.Throws<MabException>(() => Build(
            [Image(ImageFormat.Oci, Linux("arm64", "v8"), "one"), Image(ImageFormat.Oci, Linux("arm64", "v8"), "two")]));
        Assert.Equal(ErrorCode.DuplicateIndexPlatform, ex.Code);
        // arm64 and arm64/v8 are one platform: a runtime would only ever pick one of them.
        var spelled = Assert.Throws<MabException>(() => Build(
            [Image(ImageFormat.Oci, Linux("arm64", "v8"), "one"), Image(ImageFormat.Oci, Linux("aarch64"), "two")]));
        Assert.Equal(ErrorCode.DuplicateIndexPlatform, spelled.Code);
    }

    [Fact]
    public void TheSameImageTwiceIsListedOnce()
    {
        var image = Image(ImageFormat.Oci, Linux("amd64"));
        Assert.Single(Build([image, image]).Index.Manifests);
    }

    [Fact]
    public void DockerManifestListsGetOnlyTheUsersAnnotationsAndKeysAreChecked()
    {
        var children = new[] { Image(ImageFormat.Docker, Linux("amd64")) };
        var index = IndexComposer.Compose([], children.Select(IndexEntry.Of).ToList(),
            own: new Dictionary<string, string> { ["com.example.team"] = "core" },
            generated: new Dictionary<string, string> { ["org.opencontainers.image.version"] = "1.2.3" });
        Assert.Equal(["com.example.team"], index.Index.Annotations!.Keys);
        var bad = Assert.Throws<MabException>(() => Build(children, new Dictionary<string, string> { [" "] = "x" }));
        Assert.Equal(ErrorCode.InvalidLabel, bad.Code);
    }

    [Fact]
    public void AnEmptyIndexIsRefused()
    {
        var ex = Assert.Throws<MabException>(() => Build([]));
        Assert.Equal(ErrorCode.InvalidIndexChild, ex.Code);
    }

    [Fact]
    public void PlatformsAreCarriedUntouchedInTheGivenOrder()
    {
        var arm64 = new Platform { Architecture = "arm64", OS = "linux", Variant = "v8" };
        var children = new[] { Image(ImageFormat.Oci, arm64), Image(ImageFormat.Oci, Linux("amd64")), Image(ImageFormat.Oci, Linux("arm", "v7")) };
        var index = Build(children, new Dictionary<string, string> { ["org.opencontainers.image.version"] = "1.2.3" });

        Assert.Equal(MediaTypes.OciIndex, index.Index.MediaType);
        Assert.Equal(children.Select(c => c.Descriptor.Digest), index.Index.Manifests.Select(m => m.Digest));
        var reread = OciJson.DeserializeIndex(index.IndexBytes);
        Assert.Equal("""{"architecture":"arm64","os":"linux","variant":"v8"}""", System.Text.Encoding.UTF8.GetString(OciJson.Serialize(reread.Manifests[0].Platform!)));
        Assert.Equal("1.2.3", reread.Annotations!["org.opencontainers.image.version"]);
        Assert.Equal(index.Descriptor.Digest, Digest.Compute(index.IndexBytes));
        Assert.Same(children[1], index.Images[1]);
    }

    [Fact]
    public void DockerChildrenGiveAManifestList()
    {
        var index = Build([Image(ImageFormat.Docker, Linux("amd64")), Image(ImageFormat.Docker, Linux("arm64", "v8"))]);
        Assert.Equal(MediaTypes.DockerManifestList, index.Index.MediaType);
        Assert.All(index.Index.Manifests, m => Assert.Equal(MediaTypes.DockerManifest, m.MediaType));
    }
}
