using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.IntegrationTests.Fixtures;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Publishing;
using MultiArch.Build.Registry.Push;
using Xunit.Abstractions;

namespace MultiArch.Build.IntegrationTests.Registry;

/// <summary>
/// Publishes through a proxy that cuts a share of GET and PUT/PATCH bodies and answers some 500/503, in front of a
/// real docker-registry: every publish either lands with the digest a fault-free publish gives, or fails with a MAB
/// code and leaves no tag. A publish here is what the build does: resolve the base (index, manifest, config) through
/// the proxy, build an app image on it, copy the base layers from the proxied registry (a cross-registry copy, which
/// streams and verifies them) and push everything with a tag; and a base pulled into an OCI layout.
/// </summary>
public sealed class FaultyNetworkIntegrationTests(RegistryFixture registry, ITestOutputHelper output) : IClassFixture<RegistryFixture>, IDisposable
{
    private const int Publishes = 6;
    private static readonly Platform Amd64 = new() { OS = "linux", Architecture = "amd64" };
    private static readonly Platform Arm64 = new() { OS = "linux", Architecture = "arm64", Variant = "v8" };
    private readonly TinyImages _images = new();
    private readonly string _scratch = Directory.CreateTempSubdirectory("mab-faults").FullName;

    public void Dispose()
    {
        _images.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    private RegistryClient Client(CredentialPurpose purpose, IBuildLog? log = null) => new(new RegistryOptions
    {
        Environment = RegistryEnvironment.From(new Dictionary<string, string> { ["HOME"] = _scratch }),
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        Log = log ?? NullBuildLog.Instance,
    }, purpose);

    /// <summary>A base index pushed straight to the registry (no proxy), with layers large enough to be cut mid-body.</summary>
    private async Task<IndexArtifact> SeedBaseAsync(string repository)
    {
        var index = _images.TwoPlatforms(seed: 1000, layerSize: 300 * 1024);
        using var direct = Client(CredentialPurpose.Push);
        await new RegistryDestination(direct, new ImageReference(registry.Host, repository)).WriteIndexAsync(index, ["1.0"], CancellationToken.None);
        return index;
    }

    /// <summary>The app images on the base: its layers (read from <paramref name="baseRegistry"/>) and one of the app's own per platform.</summary>
    private async Task<IndexArtifact> BuildOnBaseAsync(RegistryClient pull, string baseRegistry, string repository, int seed)
    {
        var reader = new ImageSourceReader(new RegistryImageSource(pull, new ImageReference(baseRegistry, repository, "1.0")));
        var bases = await BaseImageSelection.SelectAsync(reader, [Amd64, Arm64], CancellationToken.None);
        var images = new List<ImageArtifact>();
        foreach (var (platform, resolved) in new[] { Amd64, Arm64 }.Zip(bases))
        {
            var own = _images.AddLayer(100 * 1024, seed + images.Count);
            var app = _images.Image(platform, [.. resolved.Manifest.Layers, own]);
            var blobs = app.Blobs.Select(b => resolved.Manifest.Layers.Any(l => l.Digest == b.Descriptor.Digest) ? new BlobContent(b.Descriptor, resolved.LayerSource) : b).ToList();
            images.Add(new ImageArtifact(app.Manifest, app.ManifestBytes, app.Descriptor.Platform, blobs));
        }
        return TinyImages.Index([.. images]);
    }

    [Fact]
    public async Task PublishesThroughCutBodiesAnd5xxLandWithTheFaultFreeDigestOrFailCodedWithoutATag()
    {
        await SeedBaseAsync("faults/base");
        // Two names for one registry, each through its own faulty proxy: the base is read through one and the app pushed
        // through the other, so base layers are copied between "registries" (streamed, resumed, verified), not mounted.
        var shares = new FaultShares { CutGetBodies = 0.25, CutWriteBodies = 0.25, ServerErrors = 0.1 };
        await using var pulls = new FaultProxy(registry.Port, shares with { Seed = 7 });
        await using var pushes = new FaultProxy(registry.Port, shares with { Seed = 8 });
        var outcomes = new List<string>();

        for (int i = 0; i < Publishes; i++)
        {
            // The fault-free digest: the same image built with the faults switched off.
            pulls.Enabled = false;
            IndexArtifact expected;
            using (var clean = Client(CredentialPurpose.Pull)) expected = await BuildOnBaseAsync(clean, pulls.Host, "faults/base", 2000 + 10 * i);
            pulls.Enabled = true;

            string outcome;
            try
            {
                using var pull = Client(CredentialPurpose.Pull);
                using var push = Client(CredentialPurpose.Push);
                var index = await BuildOnBaseAsync(pull, pulls.Host, "faults/base", 2000 + 10 * i);
                Assert.Equal(expected.Descriptor.Digest, index.Descriptor.Digest);
                await new RegistryDestination(push, new ImageReference(pushes.Host, $"faults/app{i}")).WriteIndexAsync(index, ["v1"], CancellationToken.None);
                outcome = "ok";
            }
            catch (MabException ex)
            {
                outcome = ex.Code;
                output.WriteLine($"publish {i}: {ex.Code} {ex.Message}");
            }
            outcomes.Add(outcome);

            using var check = Client(CredentialPurpose.Pull);
            var tagged = await check.TryGetManifestAsync(new ImageReference(registry.Host, $"faults/app{i}", "v1"), CancellationToken.None);
            if (outcome == "ok") Assert.Equal(expected.Descriptor.Digest, tagged?.Digest);
            else Assert.Null(tagged);
        }

        output.WriteLine($"{outcomes.Count(o => o == "ok")} of {Publishes} publishes landed with the fault-free digest ({string.Join(", ", outcomes)}); pulls: {pulls}; pushes: {pushes}");
        Assert.True(pulls.CutGets > 0 && pushes.CutWrites > 0 && pulls.Errors + pushes.Errors > 0, $"pulls: {pulls}; pushes: {pushes}");
        Assert.All(outcomes, o => Assert.True(o == "ok" || ErrorCode.IsWellFormed(o), o));
        Assert.Contains("ok", outcomes);
    }

    [Fact]
    public async Task BasesCopiedThroughCutBodiesIntoALayoutAreVerifiedAndComplete()
    {
        var seeded = await SeedBaseAsync("faults/pulled");
        await using var proxy = new FaultProxy(registry.Port, new FaultShares { CutGetBodies = 0.3, ServerErrors = 0.1, Seed = 11 });
        var outcomes = new List<string>();

        for (int i = 0; i < Publishes; i++)
        {
            string layout = Path.Combine(_scratch, $"layout{i}");
            try
            {
                using var pull = Client(CredentialPurpose.Pull);
                var pulled = await PulledBase.ReadAsync(pull, new ImageReference(proxy.Host, "faults/pulled", "1.0"), Arm64);
                var resolved = pulled.Base;
                var config = new MultiArch.Build.Blobs.MemoryBlobSource();
                config.Add(resolved.Manifest.Config.MediaType, pulled.ConfigBytes);
                var image = new ImageArtifact(resolved.Manifest, pulled.ManifestBytes, Arm64,
                    [new BlobContent(resolved.Manifest.Config, config), .. resolved.Manifest.Layers.Select(l => new BlobContent(l, resolved.LayerSource))]);
                await new OciLayoutDestination(layout).WriteImageAsync(image, ["base"], CancellationToken.None);
                outcomes.Add("ok");
                Assert.Equal(seeded.Images[1].Descriptor.Digest, Digest.Compute(image.ManifestBytes));
                foreach (var layer in resolved.Manifest.Layers)
                    Assert.Equal(layer.Digest, Digest.Compute(File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256", layer.Digest.Hex))));
            }
            catch (MabException ex)
            {
                outcomes.Add(ex.Code);
                output.WriteLine($"pull {i}: {ex.Code} {ex.Message}");
                Assert.False(File.Exists(Path.Combine(layout, "index.json")));
            }
        }

        output.WriteLine($"{outcomes.Count(o => o == "ok")} of {Publishes} base copies landed ({string.Join(", ", outcomes)}); proxy: {proxy}");
        Assert.True(proxy.CutGets > 0, proxy.ToString());
        Assert.Contains("ok", outcomes);
    }
}
