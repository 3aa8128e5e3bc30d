using MultiArch.Build.Images;
using MultiArch.Build.IntegrationTests.Fixtures;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Registry.Push;

namespace MultiArch.Build.Tool.Tests.Fixtures;

/// <summary>
/// Once per test run: MultiArch.Build.Tool packed with a fresh version into a feed folder, installed from it with
/// <c>dotnet tool install --tool-path</c>, and a real docker-registry on a free loopback port holding three
/// single-platform images (linux/amd64, linux/arm64/v8, and a second linux/arm64/v8). The pack builds under the
/// fixture's folder (--artifacts-path), so it never writes the bin and obj folders a build of the solution uses,
/// and the install and dnx extract into a packages folder of the fixture's own, so runs leave nothing in the
/// machine's package cache.
/// </summary>
public sealed class ToolFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new("mab-tool");
    private readonly TinyImages _images = new();
    private RegistryFixture? _registry;

    public string RepositoryRoot { get; } = FindRepositoryRoot();
    public string Version { get; } = "0.0.0-tool." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff");
    public string Feed => _folder.Combine("feed");
    public string ToolPath => _folder.Combine("tools");
    public string Multiarch => Path.Combine(ToolPath, "multiarch");
    public string Registry => _registry!.Host;

    /// <summary>NUGET_PACKAGES for the install and dnx: the fixture's own folder.</summary>
    public IReadOnlyDictionary<string, string?> ToolInstallEnvironment => new Dictionary<string, string?>
    {
        ["NUGET_PACKAGES"] = _folder.Combine("nuget-packages"),
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>registry/tool/amd64:1, one linux/amd64 image.</summary>
    public string Amd64 => $"{Registry}/tool/amd64:1";
    /// <summary>registry/tool/arm64:1, one linux/arm64/v8 image.</summary>
    public string Arm64 => $"{Registry}/tool/arm64:1";
    /// <summary>registry/tool/arm64:2, another linux/arm64/v8 image (its own layer), to replace the first.</summary>
    public string Arm64Again => $"{Registry}/tool/arm64:2";

    public async Task InitializeAsync()
    {
        _registry = await RegistryFixture.StartAsync();
        var pack = ProcessRunner.RunCheckedAsync("dotnet",
            ["pack", Path.Combine(RepositoryRoot, "src", "MultiArch.Build.Tool", "MultiArch.Build.Tool.csproj"), "-c", "Release", $"-p:Version={Version}",
                "-o", Feed, "--artifacts-path", _folder.Combine("build")],
            RepositoryRoot, timeout: TimeSpan.FromMinutes(5));
        await PushImagesAsync();
        await pack;
        await ProcessRunner.RunCheckedAsync("dotnet",
            ["tool", "install", "--tool-path", ToolPath, "--add-source", Feed, "MultiArch.Build.Tool", "--version", Version],
            _folder.Path, ToolInstallEnvironment, TimeSpan.FromMinutes(5));
    }

    /// <summary>Runs the installed multiarch.</summary>
    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(Multiarch, arguments, _folder.Path, timeout: TimeSpan.FromMinutes(2));

    private async Task PushImagesAsync()
    {
        var home = new Dictionary<string, string> { ["HOME"] = _folder.Combine("home") };
        using var client = new RegistryClient(new RegistryOptions { Environment = RegistryEnvironment.From(home) }, CredentialPurpose.Push);
        var shared = _images.AddLayer(4096, seed: 1);
        await PushAsync(client, Amd64, _images.Image(Platform("amd64"), shared, _images.AddLayer(4096, seed: 2)));
        await PushAsync(client, Arm64, _images.Image(Platform("arm64", "v8"), shared, _images.AddLayer(4096, seed: 3)));
        await PushAsync(client, Arm64Again, _images.Image(Platform("arm64", "v8"), shared, _images.AddLayer(4096, seed: 4)));
    }

    private static Platform Platform(string architecture, string? variant = null) => new() { OS = "linux", Architecture = architecture, Variant = variant };

    private static async Task PushAsync(RegistryClient client, string reference, ImageArtifact image)
    {
        var parsed = ImageReference.Parse(reference);
        await new RegistryDestination(client, parsed).WriteImageAsync(image, [parsed.Tag!], CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_registry is not null) await _registry.DisposeAsync();
        _images.Dispose();
        _folder.Dispose();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MultiArch.Build.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("MultiArch.Build.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class ToolCollection : ICollectionFixture<ToolFixture>
{
    public const string Name = "tool";
}
