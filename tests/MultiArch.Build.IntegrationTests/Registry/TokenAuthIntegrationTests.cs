using System.Text;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.IntegrationTests.Fixtures;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Registry.Push;

namespace MultiArch.Build.IntegrationTests.Registry;

/// <summary>The registry client against a real docker-registry with <c>auth: token</c> and a token server that grants only what each account may do.</summary>
public sealed class TokenAuthIntegrationTests : IClassFixture<TokenRegistry>, IDisposable
{
    private static readonly Platform Amd64 = new() { OS = "linux", Architecture = "amd64" };
    private readonly TokenRegistry _registry;
    private readonly TinyImages _images = new();
    private readonly string _scratch = Directory.CreateTempSubdirectory("mab-it-token").FullName;

    public TokenAuthIntegrationTests(TokenRegistry registry)
    {
        _registry = registry;
    }

    public void Dispose()
    {
        _images.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    /// <summary>A client with one account in the variables a build reads: the base-image ones for pulls, the target registry's for pushes.</summary>
    private RegistryClient Client(string? user, string? password, CredentialPurpose purpose = CredentialPurpose.Push)
    {
        var variables = new Dictionary<string, string>();
        if (user is not null && purpose == CredentialPurpose.Pull) (variables[CredentialStore.BaseUserNameVariable], variables[CredentialStore.BasePasswordVariable]) = (user, password!);
        else if (user is not null) (variables[CredentialStore.PreferredUserNameVariable], variables[CredentialStore.PreferredPasswordVariable]) = (user, password!);
        return Client(variables, purpose);
    }

    /// <summary>A client as a publish to this registry makes it: the registry is the target, so the MULTIARCH_REGISTRY_* variables go to it.</summary>
    private RegistryClient Client(Dictionary<string, string> variables, CredentialPurpose purpose = CredentialPurpose.Push)
    {
        variables.TryAdd("HOME", _scratch);
        return new RegistryClient(new RegistryOptions { Environment = RegistryEnvironment.From(variables), TargetRegistries = [_registry.Host] }, purpose);
    }

    private RegistryClient Pusher() => Client("pusher", _registry.PusherPassword);

    private ImageReference Repo(string name) => new(_registry.Host, name);

    private IEnumerable<IssuedToken> TokensFor(string repository) =>
        _registry.Tokens.Issued.Where(t => t.Requested.Any(s => s.StartsWith($"repository:{repository}:", StringComparison.Ordinal)));

    private Task<ProcessResult> SkopeoRawAsync(string reference, string user, string password) =>
        ProcessRunner.RunCheckedAsync("skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", $"{user}:{password}", $"docker://{_registry.Host}/{reference}");

    [Fact]
    public async Task PushAndPullWithCredentials()
    {
        var index = _images.TwoPlatforms(seed: 700);
        using var push = Pusher();

        await new RegistryDestination(push, Repo("app/creds")).WriteIndexAsync(index, ["1"], CancellationToken.None);

        string raw = (await SkopeoRawAsync("app/creds:1", "pusher", _registry.PusherPassword)).Output;
        Assert.Equal(Encoding.UTF8.GetString(index.IndexBytes), raw.TrimEnd('\n'));
        using var pull = Client("reader", _registry.ReaderPassword, CredentialPurpose.Pull);
        var arm64 = await PulledBase.ReadAsync(pull, ImageReference.Parse($"{_registry.Host}/app/creds:1"), new Platform { OS = "linux", Architecture = "arm64" });
        Assert.Equal(index.Images[1].ManifestBytes, arm64.ManifestBytes);
        var layer = arm64.Base.Manifest.Layers[1];
        await using (var stream = await arm64.Base.LayerSource.OpenReadAsync(layer, CancellationToken.None))
            Assert.Equal(layer.Digest, Digest.Compute(stream));
        Assert.Contains(TokensFor("app/creds"), t => t.Account == "pusher" && t.Granted.Contains("repository:app/creds:pull,push"));
        Assert.Contains(TokensFor("app/creds"), t => t.Account == "reader" && t.Granted.SequenceEqual(["repository:app/creds:pull"]));
    }

    [Fact]
    public async Task AnonymousPullGetsAPullTokenAndAnonymousPushAsksForCredentials()
    {
        var index = _images.TwoPlatforms(seed: 710);
        using (var push = Pusher()) await new RegistryDestination(push, Repo("public/anon")).WriteIndexAsync(index, ["1"], CancellationToken.None);
        using var anonymous = Client(null, null, CredentialPurpose.Pull);

        var pulled = await anonymous.TryGetManifestAsync(Repo("public/anon").WithTag("1"), CancellationToken.None);

        Assert.NotNull(pulled);
        Assert.Equal(index.IndexBytes, pulled.Bytes);
        var config = index.Images[0].Manifest.Config;
        Assert.Equal(config.Digest, Digest.Compute(await anonymous.GetSmallBlobAsync(Repo("public/anon"), config, CancellationToken.None)));
        Assert.Contains(TokensFor("public/anon"), t => t.Account is null && t.Grant == "anonymous" && t.Granted.SequenceEqual(["repository:public/anon:pull"]));

        using var anonymousPush = Client(null, null);
        var image = _images.Image(Amd64, _images.AddLayer(4000, 711));
        var error = await Assert.ThrowsAsync<MabException>(() => new RegistryDestination(anonymousPush, Repo("public/anon")).WriteImageAsync(image, ["2"], CancellationToken.None));
        Assert.Equal(ErrorCode.RegistryAuthenticationFailed, error.Code);
        Assert.Contains("none were found", error.Message);
        Assert.Equal(["1"], await anonymous.ListTagsAsync(Repo("public/anon"), CancellationToken.None));
    }

    [Fact]
    public async Task AnonymousPullOfAPrivateRepositoryAsksForCredentials()
    {
        var image = _images.Image(Amd64, _images.AddLayer(4000, 715));
        using (var push = Pusher()) await new RegistryDestination(push, Repo("app/private")).WriteImageAsync(image, ["1"], CancellationToken.None);
        using var anonymous = Client(null, null, CredentialPurpose.Pull);

        var error = await Assert.ThrowsAsync<MabException>(() => anonymous.TryGetManifestAsync(Repo("app/private").WithTag("1"), CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryAuthenticationFailed, error.Code);
        Assert.Contains(TokensFor("app/private"), t => t.Account is null && t.Granted.Count == 0);
    }

    [Fact]
    public async Task PullOnlyAccountCannotPushAndNothingIsPushed()
    {
        var index = _images.TwoPlatforms(seed: 720);
        using var reader = Client("reader", _registry.ReaderPassword);

        var error = await Assert.ThrowsAsync<MabException>(() => new RegistryDestination(reader, Repo("app/readonly")).WriteIndexAsync(index, ["1"], CancellationToken.None));

        // The credentials are right; the account may not push. The token server left push out of the
        // token, and the registry answered 401 with error="insufficient_scope".
        Assert.Equal(ErrorCode.RegistryAccessDenied, error.Code);
        Assert.DoesNotContain(_registry.ReaderPassword, error.ToString());
        var tokens = TokensFor("app/readonly").Where(t => t.Account == "reader").ToList();
        Assert.NotEmpty(tokens);
        Assert.All(tokens, t => Assert.Equal(["repository:app/readonly:pull"], t.Granted));
        Assert.Contains(tokens, t => t.Requested.Contains("repository:app/readonly:pull,push"));
        using var pusher = Pusher();
        Assert.Empty(await pusher.ListTagsAsync(Repo("app/readonly"), CancellationToken.None));
        foreach (var blob in index.Images.SelectMany(i => i.Blobs))
            Assert.False(await pusher.BlobExistsAsync(Repo("app/readonly"), blob.Descriptor.Digest, CancellationToken.None));
    }

    [Fact]
    public async Task WrongPasswordIsRefusedByTheTokenServerAndNothingIsPushed()
    {
        var image = _images.Image(Amd64, _images.AddLayer(4000, 730));
        string wrongPassword = "not-" + _registry.PusherPassword;
        int refusals = _registry.Tokens.Refusals;
        using var wrong = Client("pusher", wrongPassword);

        var error = await Assert.ThrowsAsync<MabException>(() => new RegistryDestination(wrong, Repo("app/wrong")).WriteImageAsync(image, ["1"], CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryAuthenticationFailed, error.Code);
        Assert.DoesNotContain(wrongPassword, error.ToString());
        Assert.True(_registry.Tokens.Refusals > refusals);
        using var pusher = Pusher();
        Assert.Empty(await pusher.ListTagsAsync(Repo("app/wrong"), CancellationToken.None));
    }

    [Fact]
    public async Task BaseLayersMountWithATokenThatAlsoReadsTheBaseRepository()
    {
        var baseIndex = _images.TwoPlatforms(seed: 740);
        using var client = Pusher();
        await new RegistryDestination(client, Repo("base/mount")).WriteIndexAsync(baseIndex, ["1"], CancellationToken.None);
        var app = AppOnBase(baseIndex, new RegistryBlobSource(client, Repo("base/mount")), seed: 741);
        var progress = new List<BlobProgress>();

        var result = await new RegistryDestination(client, Repo("app/mount"), new ListProgress(progress)).WriteImageAsync(app, ["1"], CancellationToken.None);

        var baseLayer = baseIndex.Images[0].Manifest.Layers[0];
        Assert.Contains(progress, p => p.Digest == baseLayer.Digest && p.State == BlobProgressState.Mounted);
        Assert.Equal(baseLayer.Size, result.BytesSkipped);
        Assert.Contains(TokensFor("app/mount"), t => t.Account == "pusher"
            && t.Granted.Contains("repository:app/mount:pull,push") && t.Granted.Contains("repository:base/mount:pull"));
        string raw = (await SkopeoRawAsync("app/mount:1", "pusher", _registry.PusherPassword)).Output;
        Assert.Equal(Encoding.UTF8.GetString(app.ManifestBytes), raw.TrimEnd('\n'));
    }

    [Fact]
    public async Task BaseLayersThePushAccountCannotReadAreUploadedFromThePullAccount()
    {
        // As a publish does it: base images are read with the pull credentials, the image is pushed
        // with the push credentials, here two accounts of one registry. The push account may not read
        // base/, so the registry refuses a mount from there; the layer has to be uploaded instead.
        var baseIndex = _images.TwoPlatforms(seed: 750);
        using (var seed = Pusher()) await new RegistryDestination(seed, Repo("base/hidden")).WriteIndexAsync(baseIndex, ["1"], CancellationToken.None);
        var variables = new Dictionary<string, string>
        {
            [CredentialStore.BaseUserNameVariable] = "basereader",
            [CredentialStore.BasePasswordVariable] = _registry.BaseReaderPassword,
            [CredentialStore.PreferredUserNameVariable] = "apponly",
            [CredentialStore.PreferredPasswordVariable] = _registry.AppOnlyPassword,
        };
        using var pull = Client(new(variables), CredentialPurpose.Pull);
        using var push = Client(new(variables));
        var app = AppOnBase(baseIndex, new RegistryBlobSource(pull, Repo("base/hidden")), seed: 751);

        var result = await new RegistryDestination(push, Repo("app/hidden")).WriteImageAsync(app, ["1"], CancellationToken.None);

        Assert.Equal(app.Blobs.Sum(b => b.Descriptor.Size), result.BytesWritten);
        string raw = (await SkopeoRawAsync("app/hidden:1", "apponly", _registry.AppOnlyPassword)).Output;
        Assert.Equal(Encoding.UTF8.GetString(app.ManifestBytes), raw.TrimEnd('\n'));
    }

    [Fact]
    public async Task IdentityTokenFromTheDockerConfigIsExchangedForAccessTokens()
    {
        string refreshToken = "refresh-" + Guid.NewGuid().ToString("N");
        _registry.Tokens.AddRefreshToken(refreshToken, "pusher");
        string config = Path.Combine(_scratch, "docker");
        Directory.CreateDirectory(config);
        File.WriteAllText(Path.Combine(config, "config.json"), $"{{\"auths\":{{\"{_registry.Host}\":{{\"identitytoken\":\"{refreshToken}\"}}}}}}");
        var image = _images.Image(Amd64, _images.AddLayer(4000, 760));
        using var client = Client(new Dictionary<string, string> { ["DOCKER_CONFIG"] = config });

        await new RegistryDestination(client, Repo("app/identity")).WriteImageAsync(image, ["1"], CancellationToken.None);

        Assert.Contains(TokensFor("app/identity"), t => t.Grant == "refresh_token" && t.Account == "pusher" && t.Granted.Contains("repository:app/identity:pull,push"));
        string raw = (await SkopeoRawAsync("app/identity:1", "pusher", _registry.PusherPassword)).Output;
        Assert.Equal(Encoding.UTF8.GetString(image.ManifestBytes), raw.TrimEnd('\n'));
    }

    /// <summary>An amd64 image whose first layer is the base's first layer, read from <paramref name="baseSource"/>, and one layer of its own.</summary>
    private ImageArtifact AppOnBase(IndexArtifact baseIndex, RegistryBlobSource baseSource, int seed)
    {
        var baseLayer = baseIndex.Images[0].Manifest.Layers[0];
        var app = _images.Image(Amd64, baseLayer, _images.AddLayer(8000, seed));
        var blobs = app.Blobs.Select(b => b.Descriptor.Digest == baseLayer.Digest ? new BlobContent(b.Descriptor, baseSource) : b).ToList();
        return new ImageArtifact(app.Manifest, app.ManifestBytes, app.Descriptor.Platform, blobs);
    }
}
