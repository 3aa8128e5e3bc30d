using MultiArch.Build.IntegrationTests.Fixtures;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Push;

namespace MultiArch.Build.IntegrationTests.Registry;

public sealed class WholeUploadIntegrationTests
{
    [Fact]
    public async Task WholeUploadThatBreaksTwiceFinishesInChunksOnTheRealRegistry()
    {
        await using var registry = await RegistryFixture.StartAsync();
        using var images = new TinyImages();
        var layer = images.AddLayer(200_000, 700);
        var image = images.Image(new Platform { OS = "linux", Architecture = "amd64" }, layer);
        // The first PUT is reset after 50 000 bytes; the second loses the registry after 50 000 bytes while the proxy
        // holds the client's connection open with no answer, so that PUT stalls until the request timeout ends it:
        // the two ways a whole upload dies mid-body.
        await using var proxy = new FaultProxy(registry.Port,
            new RequestCut("PUT", AfterBytes: 50_000),
            new RequestCut("PUT", AfterBytes: 50_000, Skip: 1, Hold: true));
        var log = new ListLog();
        using var home = new TempFolder("mab-it-home");
        using var client = new RegistryClient(new RegistryOptions
        {
            Environment = RegistryEnvironment.From(new Dictionary<string, string> { ["HOME"] = home.Path }),
            ChunkSize = 60_000,
            RequestTimeout = TimeSpan.FromSeconds(3),
            MaxParallelUploads = 1,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            Log = log,
        });

        var result = await new RegistryDestination(client, new ImageReference(proxy.Host, "it/whole")).WriteImageAsync(image, ["v1"], CancellationToken.None);

        Assert.Equal(1, proxy.CutWrites);
        Assert.Equal(1, proxy.HeldWrites);
        Assert.Contains(log.Lines, l => l.Contains("broke 2 times; sending it in chunks of 60000 bytes", StringComparison.Ordinal));
        Assert.Equal(image.Blobs.Sum(b => b.Descriptor.Size), result.BytesWritten);
        string copy = home.Combine("copy");
        await Skopeo.CopyToLayoutAsync($"{registry.Host}/it/whole:v1", copy, "v1");
        Assert.Equal(layer.Digest, Digest.Compute(File.ReadAllBytes(Path.Combine(copy, "blobs", "sha256", layer.Digest.Hex))));
    }
}
