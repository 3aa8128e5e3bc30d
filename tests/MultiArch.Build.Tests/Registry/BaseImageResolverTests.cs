using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Registry.Pull;
using static MultiArch.Build.Tests.Registry.TestImages;

namespace MultiArch.Build.Tests.Registry;

public class BaseImageResolverTests
{
    private static readonly Platform LinuxAmd64 = new() { OS = "linux", Architecture = "amd64" };
    private static readonly Platform LinuxArm64 = new() { OS = "linux", Architecture = "arm64" };

    [Fact]
    public async Task ResolvesEachPlatformFromOneFetchOfTheIndex()
    {
        var registry = new FakeRegistry();
        var blobs = new MemoryBlobSource();
        var index = TwoPlatformIndex(blobs, seed: 20);
        // The index writes os.version and a vendor field; both must come back untouched.
        index.Index.Manifests[1].Platform!.OSVersion = "12";
        var indexBytes = OciJson.Serialize(index.Index);
        Seed(registry, "base", index, blobs);
        var indexDigest = registry.PutManifest("base", MediaTypes.OciIndex, indexBytes, "1.0");
        using var client = Client(registry, purpose: CredentialPurpose.Pull);
        var resolver = new BaseImageResolver(client);

        var amd64 = await resolver.ResolveAsync(Repo("base").WithTag("1.0"), LinuxAmd64, CancellationToken.None);
        var arm64 = await resolver.ResolveAsync(Repo("base").WithTag("1.0"), LinuxArm64, CancellationToken.None);

        Assert.Single(registry.Requests, r => r.Method == "GET" && r.PathAndQuery.EndsWith("/manifests/1.0"));
        Assert.Equal(indexDigest, amd64.Reference.Digest);
        Assert.Equal(OciJson.Serialize(index.Index.Manifests[1]), OciJson.Serialize(arm64.Descriptor));
        Assert.Equal("v8", arm64.Descriptor.Platform!.Variant);
        Assert.Equal("12", arm64.Descriptor.Platform.OSVersion);
        Assert.Equal(index.Images[0].ManifestBytes, amd64.ManifestBytes);
        Assert.Equal("arm64", arm64.Config.Architecture);
        Assert.True(arm64.Manifest.Config.Digest.Matches(arm64.ConfigBytes));
        var layer = arm64.Manifest.Layers[1];
        await using var stream = await arm64.Layers.OpenReadAsync(layer, CancellationToken.None);
        Assert.Equal(layer.Digest, Digest.Compute(stream));
    }

    [Fact]
    public async Task DefaultSelectionFollowsContainerdRulesAndTheExactSelectorDoesNot()
    {
        var registry = new FakeRegistry();
        var blobs = new MemoryBlobSource();
        var index = TwoPlatformIndex(blobs, seed: 25);
        Seed(registry, "base", index, blobs);
        registry.PutManifest("base", MediaTypes.OciIndex, index.IndexBytes, "1.0");
        using var client = Client(registry, purpose: CredentialPurpose.Pull);
        var aarch64 = new Platform { OS = "linux", Architecture = "aarch64" };

        var chosen = await new BaseImageResolver(client).ResolveAsync(Repo("base").WithTag("1.0"), aarch64, CancellationToken.None);
        var exact = await Assert.ThrowsAsync<MabException>(() => new BaseImageResolver(client, ExactPlatformSelector.Instance).ResolveAsync(Repo("base").WithTag("1.0"), aarch64, CancellationToken.None));

        Assert.Equal(index.Images[1].Descriptor.Digest, chosen.Descriptor.Digest);
        Assert.Equal("v8", chosen.Descriptor.Platform!.Variant);
        Assert.Equal(ErrorCode.BasePlatformNotFound, exact.Code);
    }

    [Fact]
    public async Task SingleArchBaseForAnotherPlatformIsRefused()
    {
        var registry = new FakeRegistry();
        var blobs = new MemoryBlobSource();
        var image = Image(blobs, LinuxAmd64, RandomBytes(100, 21));
        Seed(registry, "base", Index(image), blobs);
        registry.PutManifest("base", MediaTypes.OciManifest, image.ManifestBytes, "amd64-only");
        using var client = Client(registry, purpose: CredentialPurpose.Pull);
        var resolver = new BaseImageResolver(client);

        var ok = await resolver.ResolveAsync(Repo("base").WithTag("amd64-only"), LinuxAmd64, CancellationToken.None);
        var error = await Assert.ThrowsAsync<MabException>(() => resolver.ResolveAsync(Repo("base").WithTag("amd64-only"), LinuxArm64, CancellationToken.None));

        Assert.Equal(image.Descriptor.Digest, ok.Descriptor.Digest);
        Assert.Equal("linux/amd64", ok.Descriptor.Platform!.ToString());
        Assert.Null(ok.Index);
        Assert.Equal(ErrorCode.BasePlatformMismatch, error.Code);
        Assert.Contains("linux/amd64", error.Message);
    }

    [Fact]
    public async Task MissingPlatformListsWhatTheIndexOffers()
    {
        var registry = new FakeRegistry();
        var blobs = new MemoryBlobSource();
        var index = TwoPlatformIndex(blobs, seed: 22);
        Seed(registry, "base", index, blobs);
        registry.PutManifest("base", MediaTypes.OciIndex, index.IndexBytes, "1.0");
        using var client = Client(registry, purpose: CredentialPurpose.Pull);

        var error = await Assert.ThrowsAsync<MabException>(() => new BaseImageResolver(client).ResolveAsync(Repo("base").WithTag("1.0"), new Platform { OS = "linux", Architecture = "s390x" }, CancellationToken.None));

        Assert.Equal(ErrorCode.BasePlatformNotFound, error.Code);
        Assert.Contains("linux/amd64, linux/arm64/v8", error.Message);
    }

    [Fact]
    public async Task TheCheckNamesEveryMissingPlatformBeforeFetchingAnImage()
    {
        var registry = new FakeRegistry();
        var blobs = new MemoryBlobSource();
        var index = TwoPlatformIndex(blobs, seed: 23);
        Seed(registry, "base", index, blobs);
        registry.PutManifest("base", MediaTypes.OciIndex, index.IndexBytes, "1.0");
        using var client = Client(registry, purpose: CredentialPurpose.Pull);
        Platform[] wanted = [LinuxAmd64, new() { OS = "linux", Architecture = "s390x" }, new() { OS = "linux", Architecture = "ppc64le" }];

        var error = await Assert.ThrowsAsync<MabException>(() => new BaseImageResolver(client).CheckAsync(Repo("base").WithTag("1.0"), wanted, CancellationToken.None));

        Assert.Equal(ErrorCode.BasePlatformNotFound, error.Code);
        Assert.Contains("linux/s390x, linux/ppc64le", error.Message);
        Assert.Contains("linux/amd64, linux/arm64/v8", error.Message);
        Assert.DoesNotContain(registry.Requests, r => r.PathAndQuery.Contains("/manifests/sha256:") || r.PathAndQuery.Contains("/blobs/"));
    }

    [Fact]
    public async Task UnknownTagIsACodedError()
    {
        using var client = Client(new FakeRegistry(), purpose: CredentialPurpose.Pull);
        var error = await Assert.ThrowsAsync<MabException>(() => new BaseImageResolver(client).ResolveAsync(Repo("base").WithTag("nope"), LinuxAmd64, CancellationToken.None));
        Assert.Equal(ErrorCode.BaseImageNotFound, error.Code);
    }

    [Fact]
    public async Task ManifestWithWrongContentForItsDigestIsRefused()
    {
        var registry = new FakeRegistry();
        var blobs = new MemoryBlobSource();
        var index = TwoPlatformIndex(blobs, seed: 23);
        Seed(registry, "base", index, blobs);
        registry.PutManifest("base", MediaTypes.OciIndex, index.IndexBytes, "1.0");
        registry.CorruptManifests.Add(index.Images[1].Descriptor.Digest);
        using var client = Client(registry, purpose: CredentialPurpose.Pull);
        var resolver = new BaseImageResolver(client);

        await resolver.ResolveAsync(Repo("base").WithTag("1.0"), LinuxAmd64, CancellationToken.None);
        var error = await Assert.ThrowsAsync<MabException>(() => resolver.ResolveAsync(Repo("base").WithTag("1.0"), LinuxArm64, CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryDigestMismatch, error.Code);
        Assert.Contains(index.Images[1].Descriptor.Digest.ToString(), error.Message);
    }

    [Fact]
    public async Task TagServedWithContentNotMatchingItsDigestHeaderIsRefused()
    {
        var registry = new FakeRegistry();
        var blobs = new MemoryBlobSource();
        var index = TwoPlatformIndex(blobs, seed: 24);
        Seed(registry, "base", index, blobs);
        var digest = registry.PutManifest("base", MediaTypes.OciIndex, index.IndexBytes, "1.0");
        registry.CorruptManifests.Add(digest);
        using var client = Client(registry, purpose: CredentialPurpose.Pull);

        var error = await Assert.ThrowsAsync<MabException>(() => new BaseImageResolver(client).ResolveAsync(Repo("base").WithTag("1.0"), LinuxAmd64, CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryDigestMismatch, error.Code);
    }

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
