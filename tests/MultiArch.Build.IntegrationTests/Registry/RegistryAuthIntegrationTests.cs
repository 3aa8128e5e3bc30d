using System.Text;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.IntegrationTests.Fixtures;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Push;

namespace MultiArch.Build.IntegrationTests.Registry;

public sealed class RegistryAuthIntegrationTests : IClassFixture<AuthenticatedRegistryFixture>, IDisposable
{
    private readonly AuthenticatedRegistryFixture _registry;
    private readonly TinyImages _images = new();
    private readonly string _scratch = Directory.CreateTempSubdirectory("mab-it-auth").FullName;

    public RegistryAuthIntegrationTests(AuthenticatedRegistryFixture registry)
    {
        _registry = registry;
    }

    public void Dispose()
    {
        _images.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    private RegistryClient Client(Dictionary<string, string> variables)
    {
        variables.TryAdd("HOME", _scratch);
        return new RegistryClient(new RegistryOptions { Environment = RegistryEnvironment.From(variables) });
    }

    private ImageReference Repo(string name) => new(_registry.Host, name);

    [Fact]
    public async Task CredentialsFromDockerConfigPush()
    {
        string config = Path.Combine(_scratch, "docker");
        Directory.CreateDirectory(config);
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_registry.User}:{_registry.Password}"));
        File.WriteAllText(Path.Combine(config, "config.json"), $"{{\"auths\":{{\"{_registry.Host}\":{{\"auth\":\"{auth}\"}}}}}}");
        var index = _images.TwoPlatforms(seed: 500);
        using var client = Client(new() { ["DOCKER_CONFIG"] = config });

        await new RegistryDestination(client, Repo("auth/config")).WriteIndexAsync(index, ["1"], CancellationToken.None);

        string raw = (await ProcessRunner.RunCheckedAsync("skopeo", ["inspect", "--raw", "--tls-verify=false", .. _registry.SkopeoCredentials(), $"docker://{_registry.Host}/auth/config:1"])).Output;
        Assert.Equal(Encoding.UTF8.GetString(index.IndexBytes), raw.TrimEnd('\n'));
    }

    [Fact]
    public async Task CredentialsFromAHelperOnPathPush()
    {
        string bin = Path.Combine(_scratch, "bin");
        Directory.CreateDirectory(bin);
        string helper = Path.Combine(bin, "docker-credential-mabtest");
        File.WriteAllText(helper, $"#!/bin/sh\nread server\nif [ \"$1\" = get ] && [ \"$server\" = \"{_registry.Host}\" ]; then\n  printf '{{\"ServerURL\":\"%s\",\"Username\":\"{_registry.User}\",\"Secret\":\"{_registry.Password}\"}}' \"$server\"\nelse\n  echo 'credentials not found in native keychain'; exit 1\nfi\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string config = Path.Combine(_scratch, "helper-config");
        Directory.CreateDirectory(config);
        File.WriteAllText(Path.Combine(config, "config.json"), $"{{\"credHelpers\":{{\"{_registry.Host}\":\"mabtest\"}}}}");
        var image = _images.Image(new Oci.Platform { OS = "linux", Architecture = "amd64" }, _images.AddLayer(5000, 501));
        using var client = Client(new() { ["DOCKER_CONFIG"] = config, ["PATH"] = bin + ":/usr/bin:/bin" });

        var result = await new RegistryDestination(client, Repo("auth/helper")).WriteImageAsync(image, ["1"], CancellationToken.None);

        Assert.True(result.BytesWritten > 0);
        string raw = (await ProcessRunner.RunCheckedAsync("skopeo", ["inspect", "--raw", "--tls-verify=false", .. _registry.SkopeoCredentials(), $"docker://{_registry.Host}/auth/helper:1"])).Output;
        Assert.Equal(Encoding.UTF8.GetString(image.ManifestBytes), raw.TrimEnd('\n'));
    }

    [Fact]
    public async Task WrongPasswordIsACodedErrorAndNothingIsPushed()
    {
        var index = _images.TwoPlatforms(seed: 502);
        using var wrong = Client(new() { ["DOTNET_CONTAINER_REGISTRY_UNAME"] = _registry.User!, ["DOTNET_CONTAINER_REGISTRY_PWORD"] = "not-" + _registry.Password });

        var error = await Assert.ThrowsAsync<MabException>(() => new RegistryDestination(wrong, Repo("auth/wrong")).WriteIndexAsync(index, ["1"], CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryAuthenticationFailed, error.Code);
        Assert.Contains(_registry.Host, error.Message);
        Assert.DoesNotContain(_registry.Password!, error.ToString());
        using var right = Client(new() { ["DOTNET_CONTAINER_REGISTRY_UNAME"] = _registry.User!, ["DOTNET_CONTAINER_REGISTRY_PWORD"] = _registry.Password! });
        Assert.Empty(await right.ListTagsAsync(Repo("auth/wrong"), CancellationToken.None));
        foreach (var blob in index.Images.SelectMany(i => i.Blobs))
            Assert.False(await right.BlobExistsAsync(Repo("auth/wrong"), blob.Descriptor.Digest, CancellationToken.None));
        var skopeo = await ProcessRunner.RunAsync("skopeo", ["list-tags", "--tls-verify=false", .. _registry.SkopeoCredentials(), $"docker://{_registry.Host}/auth/wrong"]);
        Assert.NotEqual(0, skopeo.ExitCode); // the repository does not exist
    }
}
