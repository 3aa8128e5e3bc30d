using MultiArch.Build.Images;
using MultiArch.Build.IntegrationTests.Fixtures;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Push;
using Xunit.Abstractions;

namespace MultiArch.Build.IntegrationTests.Registry;

/// <summary>A registry killed mid-push and started again a few seconds later: the push rides it out with the default retry budget.</summary>
public sealed class RegistryRestartIntegrationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task APushRidesOutARegistryKilledAndRestartedMidUpload()
    {
        await using var registry = new RegistryProcess();
        await registry.StartAsync();
        using var images = new TinyImages();
        var index = images.TwoPlatforms(seed: 3000, layerSize: 256 * 1024);
        // Slow enough that the blobs are still going up when the registry dies.
        var slow = TinyImages.Index([.. index.Images.Select(i => ThrottledBlobSource.Slow(i, 256 * 1024))]);
        using var home = new TempFolder("mab-restart-home");
        var log = new ListLog();
        // The default retry policy: 10 tries, waits doubling from 0.5 s to 10 s.
        using var client = new RegistryClient(new RegistryOptions { Environment = RegistryEnvironment.From(new Dictionary<string, string> { ["HOME"] = home.Path }), Log = log });
        var uploading = new TaskCompletionSource();
        var progress = new Progress(p => { if (p.State == BlobProgressState.Uploading && p.BytesDone > 64 * 1024) uploading.TrySetResult(); });
        var target = new ImageReference(registry.Host, "restart/app");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var push = new RegistryDestination(client, target, progress).WriteIndexAsync(slow, ["v1"], CancellationToken.None);
        await uploading.Task.WaitAsync(TimeSpan.FromSeconds(30));
        registry.Kill();
        output.WriteLine($"killed at {clock.Elapsed.TotalSeconds:0.0} s");
        await Task.Delay(Outage);
        await registry.RestartAsync();
        output.WriteLine($"started again at {clock.Elapsed.TotalSeconds:0.0} s");
        var result = await push.WaitAsync(TimeSpan.FromMinutes(2));
        output.WriteLine($"push done at {clock.Elapsed.TotalSeconds:0.0} s; {log.Lines.Count(l => l.Contains("retrying", StringComparison.Ordinal) || l.Contains("resuming", StringComparison.Ordinal))} retries logged");

        Assert.Contains($"{registry.Host}/restart/app:v1", result.References);
        using var check = new RegistryClient(new RegistryOptions { Environment = RegistryEnvironment.From(new Dictionary<string, string> { ["HOME"] = home.Path }) });
        Assert.Equal(index.Descriptor.Digest, (await check.TryGetManifestAsync(target.WithTag("v1"), CancellationToken.None))?.Digest);
        foreach (var blob in index.Images.SelectMany(i => i.Blobs))
        {
            await using var stream = await check.OpenBlobAsync(target, blob.Descriptor, CancellationToken.None);
            await stream.CopyToAsync(Stream.Null);
        }
    }

    private sealed class Progress(Action<BlobProgress> report) : IProgress<BlobProgress>
    {
        public void Report(BlobProgress value) => report(value);
    }
}
