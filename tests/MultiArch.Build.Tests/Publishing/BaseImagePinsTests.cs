using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;
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

        var pins = await BaseImagePins.ResolveAsync([(reference, Amd64), (reference, new Platform { OS = "linux", Architecture = "arm64" })], f.Client, new HashSet<string>(), default);

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
            BaseImagePins.ResolveAsync([($"{FakeRegistry.Host}/base:1", Amd64), ($"{FakeRegistry.Host}/base:1", Arm64)], f.Client, new HashSet<string>(), default));
        Assert.Equal(ErrorCode.RegistryDigestMismatch, ex.Code);
    }

    [Fact]
    public async Task AnInferredBaseSaysSoAndHowToChooseAnother()
    {
        using var f = new IndexFixtures();
        string inferred = $"{FakeRegistry.Host}/dotnet/runtime:10.0";
        var ex = await Assert.ThrowsAsync<MabException>(() => BaseImagePins.ResolveAsync([(inferred, Amd64)], f.Client, new HashSet<string> { inferred }, default));
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
            BaseImagePins.ResolveAsync([($"{FakeRegistry.Host}/base:1", Amd64), ($"{FakeRegistry.Host}/base:1", new Platform { OS = "linux", Architecture = "s390x" })], f.Client, new HashSet<string>(), default));
        Assert.Equal(ErrorCode.BasePlatformNotFound, ex.Code);
        Assert.Contains("linux/s390x", ex.Message);
        Assert.Contains("linux/amd64, linux/arm64/v8", ex.Message);
    }

    [Fact]
    public async Task AnUnknownBaseIsACodedErrorAndLayoutBasesAreLeftAlone()
    {
        using var f = new IndexFixtures();
        var ex = await Assert.ThrowsAsync<MabException>(() => BaseImagePins.ResolveAsync([($"{FakeRegistry.Host}/nothing:1", Amd64)], f.Client, new HashSet<string>(), default));
        Assert.Equal(ErrorCode.BaseImageNotFound, ex.Code);
        Assert.Empty(await BaseImagePins.ResolveAsync([("oci:/no/such/layout:1", Amd64)], f.Client, new HashSet<string>(), default));
    }

    [Fact]
    public void APinnedBaseIsResolvedByDigestButKeepsItsName()
    {
        var target = new MultiArch.Build.Platforms.PlatformTarget(Amd64, "linux-x64");
        var digest = Digest.Compute("x"u8).ToString();
        Assert.Equal($"r/base:1@{digest}", new PublishedPlatform(target, "r/base:1", "/p", []) { BaseImageDigest = digest }.BaseImageToResolve);
        Assert.Equal("r/base:1", new PublishedPlatform(target, "r/base:1", "/p", []).BaseImageToResolve);
        Assert.Equal($"r/base@{digest}", new PublishedPlatform(target, $"r/base@{digest}", "/p", []) { BaseImageDigest = digest }.BaseImageToResolve);
    }
}
