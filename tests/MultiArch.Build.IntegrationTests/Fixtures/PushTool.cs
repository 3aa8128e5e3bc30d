namespace MultiArch.Build.IntegrationTests.Fixtures;

/// <summary>
/// <see cref="PushProgram"/> as a console app of its own, built once per fixture into a temporary
/// folder from this test assembly and the MultiArch.Build it was built with (no shared obj/ or bin/ is
/// touched), and run as a fresh process with exactly the proxy, certificate and credential variables
/// a test gives: every such variable the test run itself has is removed first. The folder is removed
/// on dispose.
/// </summary>
public sealed class PushTool : IAsyncLifetime
{
    /// <summary>Variables that change where and how the client connects or whose credentials it sends; none leaks in from the test run.</summary>
    private static readonly string[] Isolated =
    [
        "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "REGISTRY_AUTH_FILE", "DOCKER_CONFIG", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME",
        "DOTNET_CONTAINER_INSECURE_REGISTRIES",
        "MULTIARCH_REGISTRY_USERNAME", "MULTIARCH_REGISTRY_PASSWORD", "MULTIARCH_BASE_REGISTRY_USERNAME", "MULTIARCH_BASE_REGISTRY_PASSWORD",
        "DOTNET_CONTAINER_REGISTRY_UNAME", "DOTNET_CONTAINER_REGISTRY_PWORD", "DOTNET_CONTAINER_PUSH_REGISTRY_UNAME",
        "DOTNET_CONTAINER_PUSH_REGISTRY_PWORD", "DOTNET_CONTAINER_PULL_REGISTRY_UNAME", "DOTNET_CONTAINER_PULL_REGISTRY_PWORD",
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("mab-pushtool").FullName;

    private string Program => Path.Combine(_directory, "out", "MultiArch.Build.PushTool.dll");

    public async Task InitializeAsync()
    {
        string tests = AppContext.BaseDirectory;
        string targetFramework = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        await File.WriteAllTextAsync(Path.Combine(_directory, "MultiArch.Build.PushTool.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{targetFramework}</TargetFramework>
                <UseAppHost>false</UseAppHost>
                <ImplicitUsings>disable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="MultiArch.Build" HintPath="{Path.Combine(tests, "MultiArch.Build.dll")}" />
                <Reference Include="MultiArch.Build.IntegrationTests" HintPath="{Path.Combine(tests, "MultiArch.Build.IntegrationTests.dll")}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(_directory, "Program.cs"),
            "return await MultiArch.Build.IntegrationTests.Fixtures.PushProgram.RunAsync(args);\n");
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        };
        await ProcessRunner.RunCheckedAsync("dotnet",
            ["build", "-c", "Release", "-o", Path.Combine(_directory, "out"), "-nodeReuse:false", "-p:UseSharedCompilation=false", "--nologo"],
            _directory, environment, TimeSpan.FromMinutes(5));
    }

    /// <summary>Runs the push in a new process whose environment holds <paramref name="variables"/> and none of the isolated ones otherwise.</summary>
    public Task<ProcessResult> PushAsync(string reference, int seed, IReadOnlyDictionary<string, string> variables)
    {
        var environment = Isolated.ToDictionary(name => name, string? (_) => null);
        environment["HOME"] = _directory;
        foreach (var (name, value) in variables) environment[name] = value;
        return ProcessRunner.RunAsync("dotnet", [Program, reference, seed.ToString(System.Globalization.CultureInfo.InvariantCulture)], _directory, environment, TimeSpan.FromMinutes(2));
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}
