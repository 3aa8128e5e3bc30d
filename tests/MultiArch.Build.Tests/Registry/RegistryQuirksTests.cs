using System.Text;
using System.Text.RegularExpressions;
using MultiArch.Build.Blobs;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Publishing;
using MultiArch.Build.Registry.Push;
using static MultiArch.Build.Tests.Registry.TestImages;

namespace MultiArch.Build.Tests.Registry;

/// <summary>
/// Pushes to the fake registry in the mode of each cloud registry with known quirks, and checks that the push
/// completes with the right bytes in the registry's storage, and what it cost.
/// </summary>
public class RegistryQuirksTests
{
    private const int MiB = 1024 * 1024;
    private static readonly Platform Amd64 = new() { OS = "linux", Architecture = "amd64" };

    [Theory]
    [InlineData(RegistryMode.Ecr)]
    [InlineData(RegistryMode.ArtifactRegistry)]
    [InlineData(RegistryMode.Ghcr)]
    [InlineData(RegistryMode.Acr)]
    [InlineData(RegistryMode.Quay)]
    [InlineData(RegistryMode.Harbor)]
    public async Task LargeBlobsGoWholeByDefaultForHeadPostPut(RegistryMode mode)
    {
        var registry = new FakeRegistry(mode: mode);
        var image = Image(new MemoryBlobSource(), Amd64, RandomBytes(12 * MiB, 40), RandomBytes(3000, 41));
        using var client = Client(registry);

        await new RegistryDestination(client, Repo("team/app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        AssertStored(registry, "team/app", image);
        Assert.All(image.Blobs, b => Assert.Equal(["HEAD", "POST", "PUT"], registry.RequestsFor(b.Descriptor.Digest).Select(r => r.Method)));
        Assert.DoesNotContain(registry.Requests, r => r.Method == "PATCH" || r.ContentRange is not null);
        Assert.Equal(image.Descriptor.Digest, registry.Tag("team/app", "v1"));
    }

    [Fact]
    public async Task EcrAcceptsCreatedForAChunkAndDroppedChunksEndInWholeUploads()
    {
        var registry = new FakeRegistry(mode: RegistryMode.Ecr);
        var image = Image(new MemoryBlobSource(), Amd64, RandomBytes(14 * MiB, 42), RandomBytes(8 * MiB, 43));
        var log = new CapturingLog();
        using var client = UploadClient.For(registry, chunkedAbove: MiB, chunkSize: 6 * MiB, parallel: 1, log: log);

        await new RegistryDestination(client, Repo("team/app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        AssertStored(registry, "team/app", image);
        // The first chunk is answered 201 and kept; the second is answered 201 with an unchanged Range, so the
        // upload status is asked for, and the layer goes up whole in a new session.
        var patches = registry.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal(["0-6291455", "6291456-12582911"], patches.Select(r => r.ContentRange));
        Assert.All(patches, p => Assert.Equal(201, p.Status));
        Assert.Contains("did not keep the chunk; uploading blobs whole from now on", log.All);
        // The next large layer goes whole at once.
        Assert.Equal(["HEAD", "POST", "PUT"], registry.RequestsFor(image.Blobs[2].Descriptor.Digest).Select(r => r.Method));
    }

    [Fact]
    public async Task EcrRefusingAChunkUnderFiveMegabytesEndsInAWholeUpload()
    {
        var registry = new FakeRegistry(mode: RegistryMode.Ecr);
        var image = Image(new MemoryBlobSource(), Amd64, RandomBytes(3 * MiB, 44));
        using var client = UploadClient.For(registry, chunkedAbove: MiB, chunkSize: MiB);

        await new RegistryDestination(client, Repo("team/app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        AssertStored(registry, "team/app", image);
        Assert.Equal([201, 400], registry.Requests.Where(r => r.Method == "PATCH").Select(r => r.Status));
        // The abandoned session's POST and PATCHes are not the layer's by name; its finished session is HEAD, POST, PUT.
        Assert.Equal(["HEAD", "POST", "PUT"], registry.RequestsFor(image.Blobs[1].Descriptor.Digest).Select(r => r.Method));
        Assert.Equal(3, registry.Requests.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task EcrBrokenChunkResumesInTheSameSessionAndNeverRestartsIt()
    {
        var registry = new FakeRegistry(mode: RegistryMode.Ecr);
        var image = Image(new MemoryBlobSource(), Amd64, RandomBytes(14 * MiB, 45));
        registry.AddFault(new Fault { Method = "PATCH", PathContains = "/blobs/uploads/", ResetAfterBytes = 3 * MiB });
        using var client = UploadClient.For(registry, chunkedAbove: MiB, chunkSize: 6 * MiB);

        await new RegistryDestination(client, Repo("team/app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        AssertStored(registry, "team/app", image);
        // The cut chunk left 3 MiB; the upload goes on from there (ECR answers 416 to a restart from 0).
        Assert.Equal(["0-6291455", "3145728-9437183", "9437184-14680063"], registry.Requests.Where(r => r.Method == "PATCH").Select(r => r.ContentRange));
        Assert.DoesNotContain(registry.Requests, r => r.Status == 416);
    }

    [Fact]
    public async Task ArtifactRegistryRefusingChunksGetsWholeUploadsForTheRestOfThePush()
    {
        var registry = new FakeRegistry(mode: RegistryMode.ArtifactRegistry);
        var image = Image(new MemoryBlobSource(), Amd64, RandomBytes(200_000, 46), RandomBytes(100_000, 47));
        var log = new CapturingLog();
        using var client = UploadClient.For(registry, chunkedAbove: 50_000, chunkSize: 65_536, parallel: 1, log: log);

        await new RegistryDestination(client, Repo("team/app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        AssertStored(registry, "team/app", image);
        Assert.Single(registry.Requests, r => r.Method == "PATCH" && r.Status == 405);
        Assert.Equal(["HEAD", "POST", "PUT"], registry.RequestsFor(image.Blobs[2].Descriptor.Digest).Select(r => r.Method));
        Assert.Contains("answered 405", log.All);
    }

    [Fact]
    public async Task ArtifactRegistryWholeUploadThatKeepsBreakingStaysWhole()
    {
        var registry = new FakeRegistry(mode: RegistryMode.ArtifactRegistry);
        var image = Image(new MemoryBlobSource(), Amd64, RandomBytes(200_000, 48));
        var layer = image.Blobs[1].Descriptor.Digest;
        registry.AddFault(new Fault { Method = "PUT", PathContains = "digest=" + layer, ResetAfterBytes = 50_000, Remaining = 2 });
        using var client = UploadClient.For(registry, chunkSize: 65_536);

        await new RegistryDestination(client, Repo("team/app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        AssertStored(registry, "team/app", image);
        // Two broken PUTs switch the blob to chunks; the registry refuses the first, and the third whole PUT lands.
        Assert.Single(registry.Requests, r => r.Method == "PATCH");
        Assert.Equal(3, registry.RequestsFor(layer).Count(r => r.Method == "PUT"));
    }

    [Fact]
    public async Task GhcrRefusingChunksOverFourMegabytesGetsHalvedChunks()
    {
        var registry = new FakeRegistry(mode: RegistryMode.Ghcr);
        var image = Image(new MemoryBlobSource(), Amd64, RandomBytes(10 * MiB, 49), RandomBytes(6 * MiB, 50));
        var log = new CapturingLog();
        using var client = UploadClient.For(registry, chunkedAbove: MiB, chunkSize: 16 * MiB, parallel: 1, log: log);

        await new RegistryDestination(client, Repo("team/app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        AssertStored(registry, "team/app", image);
        var patches = registry.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal([
            "0-10485759", "0-5242879", // 416, in step: too large
            "0-2621439", "2621440-5242879", "5242880-7864319", "7864320-10485759",
            "0-2621439", "2621440-5242879", "5242880-6291455", // the next blob starts at the size that worked
        ], patches.Select(r => r.ContentRange));
        Assert.Equal([416, 416, 202, 202, 202, 202, 202, 202, 202], patches.Select(r => r.Status));
        Assert.Equal(2, registry.Requests.Count(r => r.Method == "GET" && r.PathAndQuery.Contains("/uploads/")));
        Assert.Contains("sending chunks of 2621440 bytes", log.All);
    }

    [Fact]
    public async Task AcrGetsTheSpecsContentRangeAndABrokenUploadStartsOver()
    {
        var registry = new FakeRegistry(mode: RegistryMode.Acr);
        var image = Image(new MemoryBlobSource(), Amd64, RandomBytes(50_000, 51));
        registry.AddFault(new Fault { Method = "PATCH", PathContains = "/blobs/uploads/", ResetAfterBytes = 3000, Skip = 1 });
        var log = new CapturingLog();
        using var client = UploadClient.For(registry, chunkedAbove: 10_000, chunkSize: 16_384, log: log);

        await new RegistryDestination(client, Repo("team/app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        AssertStored(registry, "team/app", image);
        var ranges = registry.Requests.Where(r => r.Method == "PATCH").Select(r => r.ContentRange).ToList();
        Assert.Equal(["0-16383", "16384-32767", "0-16383", "16384-32767", "32768-49151", "49152-49999"], ranges);
        Assert.All(ranges, r => Assert.Matches(new Regex("^[0-9]+-[0-9]+$"), r!));
        Assert.All(registry.Requests.Where(r => r.Method == "PUT"), r => Assert.Null(r.ContentRange));
        Assert.Contains("starting it again", log.All);
    }

    [Fact]
    public async Task QuayMountsAlwaysNameTheRepositoryTheyComeFrom()
    {
        var registry = new FakeRegistry(mode: RegistryMode.Quay);
        var baseLayer = RandomBytes(4000, 52);
        registry.PutBlob("team/base", baseLayer);
        using var client = Client(registry);
        var image = WithLayerFrom(client, Repo("team/base"), baseLayer, RandomBytes(1000, 53));

        var result = await new RegistryDestination(client, Repo("team/app")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        AssertStored(registry, "team/app", image);
        var mounts = registry.Requests.Where(r => r.PathAndQuery.Contains("mount=")).ToList();
        Assert.Single(mounts);
        Assert.All(mounts, m => Assert.Contains("&from=team/base", m.PathAndQuery));
        Assert.Equal(201, mounts[0].Status);
        Assert.Equal(baseLayer.Length, result.BytesSkipped);
    }

    [Fact]
    public async Task HarborCookiesAreNeverSentBack()
    {
        var registry = new FakeRegistry(mode: RegistryMode.Harbor);
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 54);
        using var client = Client(registry);

        await new RegistryDestination(client, Repo("team/app")).WriteIndexAsync(index, ["v1"], CancellationToken.None);

        AssertComplete(registry, "team/app", index, "v1");
        Assert.All(registry.Requests, r => Assert.Null(r.Cookie));
    }

    [Fact]
    public async Task HarborCookiesAreNeverSentBackOverRealHttp()
    {
        var registry = new FakeRegistry(mode: RegistryMode.Harbor);
        await using var server = new LoopbackRegistry(registry);
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 55);
        using var client = new RegistryClient(new RegistryOptions
        {
            Environment = RegistryEnvironment.From(new Dictionary<string, string>()),
            Delay = (_, _) => Task.CompletedTask,
        });

        await new RegistryDestination(client, new ImageReference(server.Host, "team/app")).WriteIndexAsync(index, ["v1"], CancellationToken.None);

        AssertComplete(registry, "team/app", index, "v1");
        Assert.All(registry.Requests, r => Assert.Null(r.Cookie));
    }

    [Fact]
    public async Task DockerHubIsReachedOnItsApiHostWithItsConfigKeyAndManifestsAreReadOnceThenConfirmedWithHead()
    {
        var registry = new FakeRegistry(new FakeAuth(FakeAuthMode.Bearer, "hubuser", "hub-pw"), RegistryMode.DockerHub);
        string config = Directory.CreateTempSubdirectory("mab-hub").FullName;
        try
        {
            string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("hubuser:hub-pw"));
            File.WriteAllText(Path.Combine(config, "config.json"), $"{{\"auths\":{{\"{RegistryKey.DockerHubServerUrl}\":{{\"auth\":\"{auth}\"}}}}}}");
            var environment = new Dictionary<string, string> { ["DOCKER_CONFIG"] = config, ["HOME"] = config };
            using var push = UploadClient.For(registry, environment: environment);
            using var pull = UploadClient.For(registry, environment: environment, purpose: CredentialPurpose.Pull);
            var baseIndex = TwoPlatformIndex(new MemoryBlobSource(), seed: 56);
            var baseReference = ImageReference.Parse("base:1.0"); // docker.io/library/base
            await new RegistryDestination(push, baseReference).WriteIndexAsync(baseIndex, ["1.0"], CancellationToken.None);
            Assert.Equal(0, registry.Pulls); // pushing reads no manifest

            Platform[] both = [Amd64, new Platform { OS = "linux", Architecture = "arm64" }];
            var bases = await BaseImageSelection.SelectAsync(new ImageSourceReader(new RegistryImageSource(pull, baseReference)), both, CancellationToken.None);
            Assert.Equal(3, registry.Pulls); // the index once, then each platform's manifest once: each is needed for its bytes
            // A second read of the same base (the publish after the preflight) confirms what it read with HEADs.
            await BaseImageSelection.SelectAsync(new ImageSourceReader(new RegistryImageSource(pull, baseReference)), both, CancellationToken.None);
            Assert.Equal(3, registry.Pulls);
            Assert.Equal(3, registry.Requests.Count(r => r.Method == "HEAD" && r.PathAndQuery.Contains("/manifests/") && r.Status == 200));
            int manifestReads = registry.Requests.Count(r => r.PathAndQuery.Contains("/manifests/") && r.Method != "PUT");

            var app = WithLayerFrom(push, ((RegistryBlobSource)bases[0].LayerSource).Repository, RandomBytes(3000, 56), RandomBytes(2000, 57));
            await new RegistryDestination(push, ImageReference.Parse("team/app")).WriteImageAsync(app, ["v1"], CancellationToken.None);

            AssertStored(registry, "library/base", baseIndex.Images[0]);
            AssertStored(registry, "team/app", app);
            Assert.Equal(3, registry.Pulls);
            Assert.Equal(manifestReads, registry.Requests.Count(r => r.PathAndQuery.Contains("/manifests/") && r.Method != "PUT")); // pushing reads no manifest
            Assert.Contains(registry.Requests, r => r.PathAndQuery.Contains("mount=") && r.PathAndQuery.Contains("from=library/base"));
            Assert.All(registry.Requests, r => Assert.Contains(r.Host, new[] { FakeRegistry.DockerHubApiHost, FakeRegistry.DockerHubAuthHost }));
            var tokens = registry.Requests.Where(r => r.Host == FakeRegistry.DockerHubAuthHost).ToList();
            Assert.NotEmpty(tokens);
            Assert.All(tokens, t => Assert.Equal("Basic " + FakeTokenService.Basic("hubuser", "hub-pw"), t.Authorization));
            Assert.All(tokens, t => Assert.Contains("service=registry.docker.io", t.PathAndQuery));
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static void AssertStored(FakeRegistry registry, string repository, ImageArtifact image)
    {
        foreach (var blob in image.Blobs)
        {
            var stored = registry.Blob(repository, blob.Descriptor.Digest);
            Assert.NotNull(stored);
            Assert.Equal(blob.Descriptor.Digest, Digest.Compute(stored));
        }
    }

    /// <summary>An image whose first layer is read from (and so mounted from) another repository of the same registry.</summary>
    private static ImageArtifact WithLayerFrom(RegistryClient client, ImageReference from, byte[] baseLayer, byte[] ownLayer)
    {
        var image = Image(new MemoryBlobSource(), Amd64, baseLayer, ownLayer);
        var source = new RegistryBlobSource(client, from);
        var blobs = image.Blobs.Select((b, i) => i == 1 ? new BlobContent(b.Descriptor, source) : b).ToList();
        return new ImageArtifact(image.Manifest, image.ManifestBytes, image.Descriptor.Platform, blobs);
    }
}
