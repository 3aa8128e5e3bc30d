using MultiArch.Build.Diagnostics;
using MultiArch.Build.IntegrationTests.Fixtures;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Registry.Push;

namespace MultiArch.Build.IntegrationTests.Registry;

/// <summary>Tokens that run out during a push, against registries of their own (each sets its own lifetimes).</summary>
public sealed class TokenExpiryIntegrationTests
{
    private static readonly TimeSpan ShortLife = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task PushOutlastingShortLivedTokensFetchesNewOnes()
    {
        await using var registry = await TokenRegistry.StartAsync();
        registry.Tokens.TokenLifetime = ShortLife;
        registry.Tokens.AcceptedFor = ShortLife;

        await SlowPushAsync(registry, "app/short");

        var tokens = registry.Tokens.Issued.Where(t => t.Granted.Contains("repository:app/short:pull,push")).ToList();
        Assert.True(tokens.Count >= 3, $"{tokens.Count} push tokens issued");
        Assert.True(tokens[^1].IssuedAt - tokens[0].IssuedAt > ShortLife, "the push did not outlast a token");
    }

    [Fact]
    public async Task TokenTheRegistryStopsAcceptingMidPushIsReplaced()
    {
        // The client is told a token lasts an hour; the registry takes it for 3 s (a revoked token, or a
        // token service whose clock runs ahead). The registry's 401 is the only sign.
        await using var registry = await TokenRegistry.StartAsync();
        registry.Tokens.TokenLifetime = TimeSpan.FromHours(1);
        registry.Tokens.AcceptedFor = ShortLife;

        var log = await SlowPushAsync(registry, "app/revoked");

        Assert.Contains("token not to be used after", registry.Log);
        // Refused mid-upload: the chunk is sent again with a new token, in the same upload session.
        Assert.Contains(log.Lines, l => l.StartsWith("PATCH chunk", StringComparison.Ordinal) && l.Contains("needed new credentials", StringComparison.Ordinal));
        var tokens = registry.Tokens.Issued.Where(t => t.Granted.Contains("repository:app/revoked:pull,push")).ToList();
        Assert.True(tokens.Count >= 3, $"{tokens.Count} push tokens issued");
    }

    [Fact]
    public async Task TokensThatCarryTheirCertificateInX5cAreAccepted()
    {
        await using var registry = await TokenRegistry.StartAsync(TokenKeyHeader.CertificateChain);
        using var images = new TinyImages();
        var index = images.TwoPlatforms(seed: 790);
        using var home = new TempFolder("mab-it-token-home");
        using var client = PusherClient(registry, home.Path);

        await new RegistryDestination(client, new ImageReference(registry.Host, "app/x5c")).WriteIndexAsync(index, ["1"], CancellationToken.None);

        Assert.Equal(index.IndexBytes, Skopeo.InspectRawBytes($"{registry.Host}/app/x5c:1", PusherCredentials(registry)));
    }

    /// <summary>
    /// Pushes an image whose 360 kB layer goes up in 60 kB chunks at 40 kB/s: about 9 s of uploading,
    /// each chunk its own request, so tokens of a few seconds run out between requests.
    /// </summary>
    private static async Task<ListLog> SlowPushAsync(TokenRegistry registry, string repository)
    {
        var log = new ListLog();
        using var images = new TinyImages();
        var layer = images.AddLayer(360_000, 780);
        var image = ThrottledBlobSource.Slow(images.Image(new Platform { OS = "linux", Architecture = "amd64" }, layer), bytesPerSecond: 40_000);
        using var home = new TempFolder("mab-it-token-home");
        using var client = PusherClient(registry, home.Path, log, chunked: true);

        var result = await new RegistryDestination(client, new ImageReference(registry.Host, repository)).WriteImageAsync(image, ["1"], CancellationToken.None);

        Assert.Equal(image.Blobs.Sum(b => b.Descriptor.Size), result.BytesWritten);
        string copy = home.Combine("copy");
        await Skopeo.CopyToLayoutAsync($"{registry.Host}/{repository}:1", copy, "1", PusherCredentials(registry));
        Assert.Equal(layer.Digest, Digest.Compute(File.ReadAllBytes(Path.Combine(copy, "blobs", "sha256", layer.Digest.Hex))));
        return log;
    }

    private static IReadOnlyList<string> PusherCredentials(TokenRegistry registry) => ["--creds", $"pusher:{registry.PusherPassword}"];

    private static RegistryClient PusherClient(TokenRegistry registry, string home, ListLog? log = null, bool chunked = false) =>
        new RegistryClient(new RegistryOptions
        {
            Environment = RegistryEnvironment.From(new Dictionary<string, string>
            {
                ["HOME"] = home,
                [CredentialStore.PreferredUserNameVariable] = "pusher",
                [CredentialStore.PreferredPasswordVariable] = registry.PusherPassword,
            }),
            ChunkedUploadThreshold = chunked ? 50_000 : 256L << 20,
            ChunkSize = 60_000,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            Log = (IBuildLog?)log ?? NullBuildLog.Instance,
        });
}
