namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// Once per test run: a real docker-registry on a free loopback port (<see cref="RegistryFixture"/>), seeded with
/// two-platform .NET base images made from Debian packages (build/seed-base-images.sh), and MultiArch.Build
/// packed with a fresh version (build/pack.sh). Any step that fails stops the tests loudly.
/// </summary>
public sealed class SdkFixture : IDisposable
{
    public SdkFixture()
    {
        RepositoryRoot = FindRepositoryRoot();
        _registry = RegistryFixture.Start();
        Registry = _registry.Host;
        Script("seed-base-images.sh", Registry);
        PackageVersion = Script("pack.sh", "0.0.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff")).Output.Trim().Split('\n')[^1].Trim();
        PackageFeed = Path.Combine(RepositoryRoot, "artifacts", "packages");
        if (!File.Exists(Path.Combine(PackageFeed, $"MultiArch.Build.{PackageVersion}.nupkg")))
            throw new InvalidOperationException($"build/pack.sh did not produce MultiArch.Build.{PackageVersion}.nupkg in {PackageFeed}.");
    }

    private readonly RegistryFixture _registry;

    public string RepositoryRoot { get; }
    public string Registry { get; }
    public string PackageVersion { get; }
    public string PackageFeed { get; }

    public string RuntimeBase => $"{Registry}/dotnet/runtime:10.0";
    public string RuntimeDepsBase => $"{Registry}/dotnet/runtime-deps:10.0";
    public string AspNetBase => $"{Registry}/dotnet/aspnet:10.0";

    public void Dispose() => _registry.DisposeAsync().GetAwaiter().GetResult();

    private ProcessResult Script(string name, params string[] arguments)
    {
        var result = ProcessRunner.Run("bash", [Path.Combine(RepositoryRoot, "build", name), .. arguments], RepositoryRoot, timeout: TimeSpan.FromMinutes(15));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"build/{name} failed ({result.ExitCode}):{Environment.NewLine}{result.All}");
        return result;
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
public sealed class SdkCollection : ICollectionFixture<SdkFixture>
{
    public const string Name = "sdk";
}
