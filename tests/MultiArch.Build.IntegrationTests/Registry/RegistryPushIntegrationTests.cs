using System.Text.Json;
using MultiArch.Build.Images;
using MultiArch.Build.IntegrationTests.Fixtures;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Registry.Push;

namespace MultiArch.Build.IntegrationTests.Registry;

public sealed class RegistryPushIntegrationTests : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly RegistryFixture _registry;
    private readonly TinyImages _images = new();
    private readonly string _scratch = Directory.CreateTempSubdirectory("mab-it").FullName;

    public RegistryPushIntegrationTests(RegistryFixture registry)
    {
        _registry = registry;
    }

    public void Dispose()
    {
        _images.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    private RegistryClient Client(CredentialPurpose purpose = CredentialPurpose.Push, long chunkThreshold = 256L << 20) =>
        new(new RegistryOptions
        {
            Environment = RegistryEnvironment.From(new Dictionary<string, string> { ["HOME"] = _scratch }),
            ChunkedUploadThreshold = chunkThreshold,
            ChunkSize = 20_000,
        }, purpose);

    private ImageReference Repo(string name) => new(_registry.Host, name);

    [Fact]
    public async Task PushedIndexReadsBackIdenticallyThroughSkopeo()
    {
        var index = _images.TwoPlatforms(seed: 100);
        using var client = Client();

        var result = await new RegistryDestination(client, Repo("it/index")).WriteIndexAsync(index, ["1.0"], CancellationToken.None);

        string raw = (await ProcessRunner.RunCheckedAsync("skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{_registry.Host}/it/index:1.0")).Output;
        Assert.Equal(System.Text.Encoding.UTF8.GetString(index.IndexBytes), raw.TrimEnd('\n'));
        string layout = Path.Combine(_scratch, "layout");
        await ProcessRunner.RunCheckedAsync("skopeo", "copy", "--all", "--src-tls-verify=false", $"docker://{_registry.Host}/it/index:1.0", $"oci:{layout}:copied");
        foreach (var blob in index.Images.SelectMany(i => i.Blobs).Select(b => b.Descriptor).Concat(index.Images.Select(i => i.Descriptor)))
        {
            string path = Path.Combine(layout, "blobs", "sha256", blob.Digest.Hex);
            Assert.True(File.Exists(path), $"{blob.Digest} missing from the copied layout");
            Assert.Equal(blob.Digest, Digest.Compute(File.ReadAllBytes(path)));
        }
        Assert.Equal(index.Images.SelectMany(i => i.Blobs).DistinctBy(b => b.Descriptor.Digest).Sum(b => b.Descriptor.Size), result.BytesWritten);
        Assert.Equal(["1.0"], await client.ListTagsAsync(Repo("it/index"), CancellationToken.None));
    }

    [Fact]
    public async Task PulledBaseKeepsTheIndexEntryAndItsVerifiedContent()
    {
        var index = _images.TwoPlatforms(seed: 200);
        using (var push = Client()) await new RegistryDestination(push, Repo("it/base")).WriteIndexAsync(index, ["2.0"], CancellationToken.None);
        using var pull = Client(CredentialPurpose.Pull);

        var arm64 = await PulledBase.ReadAsync(pull, ImageReference.Parse($"{_registry.Host}/it/base:2.0"), new Platform { OS = "linux", Architecture = "arm64" });

        Assert.Equal(OciJson.Serialize(index.Index.Manifests[1].Platform!), OciJson.Serialize(arm64.Base.Platform!));
        Assert.Equal(index.Index.Manifests[1].Digest, arm64.Base.Origin!.ManifestDigest);
        Assert.Equal(index.Images[1].ManifestBytes, arm64.ManifestBytes);
        Assert.Equal(index.Descriptor.Digest, arm64.TopDigest);
        string skopeoConfig = (await ProcessRunner.RunCheckedAsync("skopeo", "inspect", "--config", "--raw", "--tls-verify=false", "--override-arch", "arm64", $"docker://{_registry.Host}/it/base:2.0")).Output;
        Assert.Equal(System.Text.Encoding.UTF8.GetString(arm64.ConfigBytes), skopeoConfig.TrimEnd('\n'));
        var layer = arm64.Base.Manifest.Layers[1];
        await using var stream = await arm64.Base.LayerSource.OpenReadAsync(layer, CancellationToken.None);
        Assert.Equal(layer.Digest, Digest.Compute(stream));
    }

    [Fact]
    public async Task SecondPushUploadsNothingAndBaseLayersMountAcrossRepositories()
    {
        var index = _images.TwoPlatforms(seed: 300);
        using var client = Client();
        var first = await new RegistryDestination(client, Repo("it/again")).WriteIndexAsync(index, ["a"], CancellationToken.None);
        var second = await new RegistryDestination(client, Repo("it/again")).WriteIndexAsync(index, ["b"], CancellationToken.None);
        Assert.True(first.BytesWritten > 0);
        Assert.Equal(0, second.BytesWritten);
        Assert.Equal(first.BytesWritten, second.BytesSkipped);

        // An app image on top of a base in another repository: base layers are mounted, not sent.
        var baseSource = new RegistryBlobSource(client, Repo("it/again"));
        var baseLayer = index.Images[0].Manifest.Layers[0];
        var own = _images.AddLayer(10_000, 301);
        var app = _images.Image(new Platform { OS = "linux", Architecture = "amd64" }, baseLayer, own);
        var blobs = app.Blobs.Select(b => b.Descriptor.Digest == baseLayer.Digest ? new BlobContent(b.Descriptor, baseSource) : b).ToList();
        var appImage = new ImageArtifact(app.Manifest, app.ManifestBytes, app.Descriptor.Platform, blobs);
        var progress = new List<BlobProgress>();

        var pushed = await new RegistryDestination(client, Repo("it/app"), new ListProgress(progress)).WriteImageAsync(appImage, ["v1"], CancellationToken.None);

        Assert.Equal(baseLayer.Size, pushed.BytesSkipped);
        Assert.Contains(progress, p => p.Digest == baseLayer.Digest && p.State == BlobProgressState.Mounted);
        string raw = (await ProcessRunner.RunCheckedAsync("skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{_registry.Host}/it/app:v1")).Output;
        Assert.Equal(System.Text.Encoding.UTF8.GetString(app.ManifestBytes), raw.TrimEnd('\n'));
        await ProcessRunner.RunCheckedAsync("skopeo", "copy", "--src-tls-verify=false", $"docker://{_registry.Host}/it/app:v1", $"oci:{Path.Combine(_scratch, "app")}:v1");
    }

    [Fact]
    public async Task ChunkedUploadsAreAcceptedByTheRegistry()
    {
        var layer = _images.AddLayer(90_000, 400);
        var image = _images.Image(new Platform { OS = "linux", Architecture = "amd64" }, layer);
        using var client = Client(chunkThreshold: 50_000);

        var result = await new RegistryDestination(client, Repo("it/chunked")).WriteImageAsync(image, ["latest"], CancellationToken.None);

        Assert.Equal(image.Blobs.Sum(b => b.Descriptor.Size), result.BytesWritten);
        string raw = (await ProcessRunner.RunCheckedAsync("skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{_registry.Host}/it/chunked:latest")).Output;
        using var manifest = JsonDocument.Parse(raw);
        Assert.Equal(layer.Digest.ToString(), manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString());
        await using var stream = await client.OpenBlobAsync(Repo("it/chunked"), layer, CancellationToken.None);
        Assert.Equal(layer.Digest, Digest.Compute(stream));
    }
}

public sealed class RegistryResumeIntegrationTests
{
    [Fact]
    public async Task ChunkedUploadCutMidPatchRecoversAgainstTheRealRegistry()
    {
        await using var registry = await RegistryFixture.StartAsync();
        using var images = new TinyImages();
        var layer = images.AddLayer(200_000, 600);
        var image = images.Image(new Platform { OS = "linux", Architecture = "amd64" }, layer);
        // The second PATCH (the layer's second chunk) loses its connection after 10 000 bytes.
        await using var proxy = new FaultProxy(registry.Port, new RequestCut("PATCH", AfterBytes: 10_000, Skip: 1));
        var log = new ListLog();
        string home = Directory.CreateTempSubdirectory("mab-it-home").FullName;
        using var client = new RegistryClient(new RegistryOptions
        {
            Environment = RegistryEnvironment.From(new Dictionary<string, string> { ["HOME"] = home }),
            ChunkedUploadThreshold = 50_000,
            ChunkSize = 60_000,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            Log = log,
        });
        var target = new ImageReference(proxy.Host, "it/resume");

        var result = await new RegistryDestination(client, target).WriteImageAsync(image, ["v1"], CancellationToken.None);

        Assert.Equal(1, proxy.CutWrites);
        // distribution 2.8 keeps the bytes that arrived but then refuses the old upload state (404),
        // so the client opens a new upload; a registry that reports its Range is resumed instead.
        Assert.Contains(log.Lines, l => l.Contains("Resuming upload", StringComparison.Ordinal) || l.Contains("starting it again", StringComparison.Ordinal));
        Assert.Equal(image.Blobs.Sum(b => b.Descriptor.Size), result.BytesWritten);
        string copy = Path.Combine(home, "copy");
        await ProcessRunner.RunCheckedAsync("skopeo", "copy", "--src-tls-verify=false", $"docker://{registry.Host}/it/resume:v1", $"oci:{copy}:v1");
        Assert.Equal(layer.Digest, Digest.Compute(File.ReadAllBytes(Path.Combine(copy, "blobs", "sha256", layer.Digest.Hex))));
        Directory.Delete(home, recursive: true);
    }
}

internal sealed class ListLog : MultiArch.Build.Diagnostics.IBuildLog
{
    public List<string> Lines { get; } = [];

    public void Write(MultiArch.Build.Diagnostics.BuildLogLevel level, string message) { lock (Lines) Lines.Add(message); }
}

internal sealed class ListProgress(List<BlobProgress> items) : IProgress<BlobProgress>
{
    public void Report(BlobProgress value) { lock (items) items.Add(value); }
}
