using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using MultiArch.Build.Images;
using MultiArch.Build.Publishing;
using MultiArch.Build.Registry;
using MultiArch.Build.Sources;
using MultiArch.Build.Tests.Indexes;
using MultiArch.Build.Tests.Registry;
using static MultiArch.Build.Tests.Indexes.IndexFixtures;

namespace MultiArch.Build.Tests.Publishing;

public class BaseImagePinsTests
{
    [Fact]
    public async Task EveryPlatformOfABaseIsCheckedAgainstOneFetchOfItsIndexAndItsOwnManifest()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("base", Amd64, 71);
        var arm64 = await f.PushImageAsync("base", Arm64, 72);
        var index = await f.PushIndexAsync("base", "1", [amd64, arm64], []);
        string reference = $"{FakeRegistry.Host}/base:1";
        int before = f.Registry.Requests.Count;

        var pins = await BaseImagePins.ResolveAsync([(reference, Amd64), (reference, new Platform { OS = "linux", Architecture = "arm64" })], new ImageSources(f.Client), new HashSet<string>(), default);

        Assert.Equal(index.Descriptor.Digest, Assert.Single(pins).Value);
        var manifestRequests = f.Registry.Requests.Skip(before).Where(r => r.PathAndQuery.Contains("/manifests/", StringComparison.Ordinal)).Select(r => r.PathAndQuery).ToList();
        Assert.Single(manifestRequests, p => p.EndsWith("/manifests/1", StringComparison.Ordinal));
        Assert.Single(manifestRequests, p => p.EndsWith(amd64.Descriptor.Digest.ToString(), StringComparison.Ordinal));
        Assert.Single(manifestRequests, p => p.EndsWith(arm64.Descriptor.Digest.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATamperedPlatformManifestFailsThePreflight()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("base", Amd64, 75);
        var arm64 = await f.PushImageAsync("base", Arm64, 76);
        await f.PushIndexAsync("base", "1", [amd64, arm64], []);
        f.Registry.CorruptManifests.Add(arm64.Descriptor.Digest);

        var ex = await Assert.ThrowsAsync<MabException>(() =>
            BaseImagePins.ResolveAsync([($"{FakeRegistry.Host}/base:1", Amd64), ($"{FakeRegistry.Host}/base:1", Arm64)], new ImageSources(f.Client), new HashSet<string>(), default));
        Assert.Equal(ErrorCode.RegistryDigestMismatch, ex.Code);
    }

    [Fact]
    public async Task AnInferredBaseSaysSoAndHowToChooseAnother()
    {
        using var f = new IndexFixtures();
        string inferred = $"{FakeRegistry.Host}/dotnet/runtime:10.0";
        var ex = await Assert.ThrowsAsync<MabException>(() => BaseImagePins.ResolveAsync([(inferred, Amd64)], new ImageSources(f.Client), new HashSet<string> { inferred }, default));
        Assert.Equal(ErrorCode.BaseImageNotFound, ex.Code);
        Assert.Contains("inferred", ex.Message);
        Assert.Contains("ContainerBaseImage", ex.Message);
        Assert.Contains("ContainerBaseRegistry", ex.Message);
    }

    [Fact]
    public async Task AMissingPlatformFailsWithTheOnesTheBaseHas()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("base", Amd64, 73);
        var arm64 = await f.PushImageAsync("base", Arm64, 74);
        await f.PushIndexAsync("base", "1", [amd64, arm64], []);

        var ex = await Assert.ThrowsAsync<MabException>(() =>
            BaseImagePins.ResolveAsync([($"{FakeRegistry.Host}/base:1", Amd64), ($"{FakeRegistry.Host}/base:1", new Platform { OS = "linux", Architecture = "s390x" })], new ImageSources(f.Client), new HashSet<string>(), default));
        Assert.Equal(ErrorCode.BasePlatformNotFound, ex.Code);
        Assert.Contains("linux/s390x", ex.Message);
        Assert.Contains("linux/amd64, linux/arm64/v8", ex.Message);
    }

    [Fact]
    public async Task AnUnknownBaseIsACodedErrorAndALayoutBaseIsCheckedButNotPinned()
    {
        using var f = new IndexFixtures();
        var ex = await Assert.ThrowsAsync<MabException>(() => BaseImagePins.ResolveAsync([($"{FakeRegistry.Host}/nothing:1", Amd64)], new ImageSources(f.Client), new HashSet<string>(), default));
        Assert.Equal(ErrorCode.BaseImageNotFound, ex.Code);
        var noLayout = await Assert.ThrowsAsync<MabException>(() => BaseImagePins.ResolveAsync([("oci:/no/such/layout:1", Amd64)], new ImageSources(f.Client), new HashSet<string>(), default));
        Assert.Equal(ErrorCode.LayoutNotFound, noLayout.Code);

        using var temp = new TempFolder();
        var amd64 = await Layout.TestImages.BuildAsync(new MultiArch.Build.Blobs.BlobStore(temp.Combine("store")), Amd64, "x");
        await new MultiArch.Build.Layout.OciLayoutDestination(temp.Combine("layout")).WriteImageAsync(amd64, ["1"], default);
        Assert.Empty(await BaseImagePins.ResolveAsync([($"oci:{temp.Combine("layout")}:1", Amd64)], new ImageSources(f.Client), new HashSet<string>(), default));
    }

    [Fact]
    public async Task APinnedBaseIsReadByDigestButKeepsItsName()
    {
        using var f = new IndexFixtures();
        var amd64 = await f.PushImageAsync("base", Amd64, 77);
        var first = await f.PushIndexAsync("base", "1", [amd64], []);
        var reference = ImageReference.Parse($"{FakeRegistry.Host}/base:1");
        // The tag moves after the preflight pinned it; the build keeps reading what it pinned.
        var other = await f.PushImageAsync("base", Amd64, 78);
        await f.PushIndexAsync("base", "1", [other], []);

        var bases = await BaseImageSelection.SelectAsync(new ImageSourceReader(new RegistryImageSource(f.Client, reference, first.Descriptor.Digest)), [Amd64], default);

        Assert.Equal(new BaseImageOrigin($"{FakeRegistry.Host}/base:1", first.Descriptor.Digest, amd64.Descriptor.Digest), bases[0].Origin);
        var written = ImageReference.Parse($"{FakeRegistry.Host}/base:1@{first.Descriptor.Digest}");
        Assert.Equal($"{FakeRegistry.Host}/base:1", new RegistryImageSource(f.Client, written).AnnotationName);
    }
}
