using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Sources;
using MultiArch.Build.Tests.Registry;
using static MultiArch.Build.Tests.Registry.TestImages;

namespace MultiArch.Build.Tests.Publishing;

public class BaseImageSelectionTests
{
    private static readonly Platform LinuxAmd64 = new() { OS = "linux", Architecture = "amd64" };
    private static readonly Platform LinuxArm64 = new() { OS = "linux", Architecture = "arm64" };
    private static readonly Platform LinuxS390x = new() { OS = "linux", Architecture = "s390x" };

    private static Task<IReadOnlyList<BaseImage>> SelectAsync(RegistryClient client, ImageReference reference, params Platform[] wanted) =>
        BaseImageSelection.SelectAsync(new ImageSourceReader(new RegistryImageSource(client, reference)), wanted, CancellationToken.None);

    [Fact]
    public async Task EveryPlatformComesFromOneFetchOfTheIndexAndKeepsTheEntryAsWritten()
    {
        var registry = new FakeRegistry();
        var blobs = new MemoryBlobSource();
        var index = TwoPlatformIndex(blobs, seed: 20);
        // The index writes os.version; it must come back untouched.
        index.Index.Manifests[1].Platform!.OSVersion = "12";
        var indexBytes = OciJson.Serialize(index.Index);
        Seed(registry, "base", index, blobs);
        var indexDigest = registry.PutManifest("base", MediaTypes.OciIndex, indexBytes, "1.0");
        using var client = Client(registry, purpose: CredentialPurpose.Pull);

        var bases = await SelectAsync(client, Repo("base").WithTag("1.0"), LinuxAmd64, LinuxArm64);

        Assert.Single(registry.Requests, r => r.Method == "GET" && r.PathAndQuery.EndsWith("/manifests/1.0"));
        Assert.Equal(new BaseImageOrigin($"{FakeRegistry.Host}/base:1.0", indexDigest, index.Images[0].Descriptor.Digest), bases[0].Origin);
        Assert.Equal(index.Images[1].Descriptor.Digest, bases[1].Origin!.ManifestDigest);
        Assert.Equal(OciJson.Serialize(index.Index.Manifests[1].Platform!), OciJson.Serialize(bases[1].Platform!));
        Assert.Equal("linux(12)/arm64/v8", PlatformText(bases[1]));
        Assert.Equal("arm64", bases[1].Config.Architecture);
        Assert.Equal(index.Images[1].Manifest.Config.Digest, bases[1].Manifest.Config.Digest);
        var layer = bases[1].Manifest.Layers[1];
        await using var stream = await bases[1].LayerSource.OpenReadAsync(layer, CancellationToken.None);
        Assert.Equal(layer.Digest, Digest.Compute(stream));
    }

    [Fact]
    public async Task SelectionFollowsContainerdRules()
    {
        var registry = new FakeRegistry();
        var blobs = new MemoryBlobSource();
        var index = TwoPlatformIndex(blobs, seed: 25);
        Seed(registry, "base", index, blobs);
        registry.PutManifest("base", MediaTypes.OciIndex, index.IndexBytes, "1.0");
        using var client = Client(registry, purpose: CredentialPurpose.Pull);

        var chosen = await SelectAsync(client, Repo("base").WithTag("1.0"), new Platform { OS = "linux", Architecture = "aarch64" });

        Assert.Equal(index.Images[1].Descriptor.Digest, chosen[0].Origin!.ManifestDigest);
        Assert.Equal("v8", chosen[0].Platform!.Variant);
    }

    [Fact]
    public async Task ASingleArchBaseServesItsOwnPlatformOnly()
    {
        var registry = new FakeRegistry();
        var blobs = new MemoryBlobSource();
        var image = Image(blobs, LinuxAmd64, RandomBytes(100, 21));
        Seed(registry, "base", Index(image), blobs);
        registry.PutManifest("base", MediaTypes.OciManifest, image.ManifestBytes, "amd64-only");
        using var client = Client(registry, purpose: CredentialPurpose.Pull);

        var ok = await SelectAsync(client, Repo("base").WithTag("amd64-only"), LinuxAmd64);
        var error = await Assert.ThrowsAsync<MabException>(() => SelectAsync(client, Repo("base").WithTag("amd64-only"), LinuxArm64));

        Assert.Equal(image.Descriptor.Digest, ok[0].Origin!.ManifestDigest);
        Assert.Null(ok[0].Origin!.IndexDigest);
        Assert.Equal("linux/amd64", PlatformText(ok[0]));
        Assert.Equal(ErrorCode.BasePlatformMismatch, error.Code);
        Assert.Contains("linux/amd64", error.Message);
    }

    [Fact]
    public async Task EveryMissingPlatformIsNamedBeforeAnImageIsFetched()
    {
        var registry = new FakeRegistry();
        var blobs = new MemoryBlobSource();
        var index = TwoPlatformIndex(blobs, seed: 23);
        Seed(registry, "base", index, blobs);
        registry.PutManifest("base", MediaTypes.OciIndex, index.IndexBytes, "1.0");
        using var client = Client(registry, purpose: CredentialPurpose.Pull);

        var error = await Assert.ThrowsAsync<MabException>(() => SelectAsync(client, Repo("base").WithTag("1.0"), LinuxAmd64, LinuxS390x, new Platform { OS = "linux", Architecture = "ppc64le" }));

        Assert.Equal(ErrorCode.BasePlatformNotFound, error.Code);
        Assert.Contains("linux/s390x, linux/ppc64le", error.Message);
        Assert.Contains("linux/amd64, linux/arm64/v8", error.Message);
        Assert.DoesNotContain(registry.Requests, r => r.PathAndQuery.Contains("/manifests/sha256:") || r.PathAndQuery.Contains("/blobs/"));
    }

    [Fact]
    public async Task ContentNotMatchingItsDigestIsRefused()
    {
        var registry = new FakeRegistry();
        var blobs = new MemoryBlobSource();
        var index = TwoPlatformIndex(blobs, seed: 24);
        Seed(registry, "base", index, blobs);
        var digest = registry.PutManifest("base", MediaTypes.OciIndex, index.IndexBytes, "1.0");
        registry.PutManifest("base", MediaTypes.OciIndex, index.IndexBytes, "2.0");
        registry.CorruptManifests.Add(index.Images[1].Descriptor.Digest);
        using var client = Client(registry, purpose: CredentialPurpose.Pull);

        await SelectAsync(client, Repo("base").WithTag("1.0"), LinuxAmd64);
        var child = await Assert.ThrowsAsync<MabException>(() => SelectAsync(client, Repo("base").WithTag("1.0"), LinuxArm64));
        registry.CorruptManifests.Add(digest);
        using var fresh = Client(registry, purpose: CredentialPurpose.Pull);
        var top = await Assert.ThrowsAsync<MabException>(() => SelectAsync(fresh, Repo("base").WithTag("2.0"), LinuxAmd64));

        Assert.Equal(ErrorCode.RegistryDigestMismatch, child.Code);
        Assert.Contains(index.Images[1].Descriptor.Digest.ToString(), child.Message);
        Assert.Equal(ErrorCode.RegistryDigestMismatch, top.Code);
    }

    public static TheoryData<string> Mistakes => new() { "unknown name", "missing platform", "single image of another platform", "incomplete index", "nested index" };

    /// <summary>The same mistake gets the same code whether the base is in a registry or in a layout.</summary>
    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task ARegistryAndALayoutGiveTheSameCodeForTheSameMistake(string mistake)
    {
        var blobs = new MemoryBlobSource();
        var index = TwoPlatformIndex(blobs, seed: 30);
        var nested = Index(index.Images[0]);
        var registry = new FakeRegistry();
        Seed(registry, "base", index, blobs);
        registry.PutManifest("base", MediaTypes.OciIndex, index.IndexBytes, "1.0");
        registry.PutManifest("base", MediaTypes.OciManifest, index.Images[0].ManifestBytes, "single");
        using var temp = new TempFolder();
        string layout = temp.Combine("layout");
        var destination = new OciLayoutDestination(layout);
        await destination.WriteIndexAsync(index, ["1.0"], default);
        await destination.WriteImageAsync(index.Images[0], ["single"], default);
        if (mistake == "incomplete index")
        {
            registry.DeleteManifest("base", index.Images[1].Descriptor.Digest);
            File.Delete(Path.Combine(layout, "blobs", "sha256", index.Images[1].Descriptor.Digest.Hex));
        }
        if (mistake == "nested index")
        {
            var outer = Index(index.Images[0]);
            outer.Index.Manifests[0] = nested.Descriptor.Clone();
            outer.Index.Manifests[0].Platform = LinuxAmd64;
            var outerBytes = OciJson.Serialize(outer.Index);
            registry.PutManifest("base", MediaTypes.OciIndex, nested.IndexBytes);
            registry.PutManifest("base", MediaTypes.OciIndex, outerBytes, "1.0");
            await destination.WriteIndexAsync(new IndexArtifact(outer.Index, outerBytes, []), ["outer"], default);
            File.WriteAllBytes(Path.Combine(layout, "blobs", "sha256", nested.Descriptor.Digest.Hex), nested.IndexBytes);
        }
        var (tag, wanted) = mistake switch
        {
            "unknown name" => ("2.0", LinuxAmd64),
            "missing platform" => ("1.0", LinuxS390x),
            "single image of another platform" => ("single", LinuxArm64),
            "incomplete index" => ("1.0", LinuxArm64),
            _ => ("1.0", LinuxAmd64),
        };
        string layoutTag = mistake == "nested index" ? "outer" : tag;

        using var client = Client(registry, purpose: CredentialPurpose.Pull);
        using var sources = new ImageSources(client);
        var fromRegistry = await Assert.ThrowsAsync<MabException>(async () =>
            await BaseImageSelection.SelectAsync(await sources.OpenAsync($"{FakeRegistry.Host}/base:{tag}", null, default), [wanted], default));
        var fromLayout = await Assert.ThrowsAsync<MabException>(async () =>
            await BaseImageSelection.SelectAsync(await sources.OpenAsync($"oci:{layout}:{layoutTag}", null, default), [wanted], default));

        string expected = mistake switch
        {
            "unknown name" => ErrorCode.BaseImageNotFound,
            "missing platform" => ErrorCode.BasePlatformNotFound,
            "single image of another platform" => ErrorCode.BasePlatformMismatch,
            "incomplete index" => ErrorCode.ImageIncomplete,
            _ => ErrorCode.BaseNotAManifest,
        };
        Assert.Equal(expected, fromRegistry.Code);
        Assert.Equal(expected, fromLayout.Code);
    }

    [Fact]
    public async Task ALayoutArchiveBaseIsReadFromOneUnpackedCopyThatGoesOnDispose()
    {
        using var temp = new TempFolder();
        string archive = temp.Combine("base.tar");
        var index = await Layout.TestImages.BuildIndexAsync(new BlobStore(temp.Combine("store")), "base");
        await new OciArchiveDestination(archive).WriteIndexAsync(index, ["10.0"], default);
        using var client = Client(new FakeRegistry(), purpose: CredentialPurpose.Pull);
        var sources = new ImageSources(client);

        var bases = await BaseImageSelection.SelectAsync(await sources.OpenAsync($"oci:{archive}:10.0", null, default), [Layout.TestImages.Arm64, LinuxAmd64], default);

        // The platform is the one the base index wrote (arm64 keeps its v8), each image is that platform's, and a
        // layout path is no base name anyone else could pull, so it gets no base annotations.
        Assert.Equal(["linux/arm64/v8", "linux/amd64"], bases.Select(PlatformText));
        Assert.Equal(index.Images.Single(i => i.Descriptor.Platform!.Architecture == "arm64").Manifest.Config.Digest, bases[0].Manifest.Config.Digest);
        Assert.All(bases, b => Assert.Null(b.Origin));
        string unpacked = Assert.IsType<OciLayoutReader>(bases[0].LayerSource).Root;
        Assert.True(Directory.Exists(unpacked));
        sources.Dispose();
        Assert.False(Directory.Exists(unpacked));
    }

    private static string PlatformText(BaseImage image) => image.Platform!.ToString();

    private static void Seed(FakeRegistry registry, string repository, IndexArtifact index, MemoryBlobSource blobs)
    {
        foreach (var image in index.Images)
        {
            foreach (var blob in image.Blobs)
            {
                using var stream = blobs.OpenReadAsync(blob.Descriptor, CancellationToken.None).GetAwaiter().GetResult();
                using var content = new MemoryStream();
                stream.CopyTo(content);
                registry.PutBlob(repository, content.ToArray());
            }
            registry.PutManifest(repository, MediaTypes.OciManifest, image.ManifestBytes);
        }
    }
}
