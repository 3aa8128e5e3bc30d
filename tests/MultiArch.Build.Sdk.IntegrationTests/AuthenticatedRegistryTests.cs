using System.Net;
using System.Net.Sockets;

namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>A second real registry that requires Basic auth (htpasswd): credentials reach it through the environment, and a wrong password pushes nothing.</summary>
[Collection(SdkCollection.Name)]
public sealed class AuthenticatedRegistryTests(SdkFixture fixture) : IDisposable
{
    private const string User = "e2e-user";
    private const string Password = "pw-7Hq2-not-for-logs";
    private readonly string _storage = Path.Combine(Path.GetTempPath(), "mab-e2e-auth-" + Guid.NewGuid().ToString("N"));
    private string? _registry;

    private string StartRegistry()
    {
        Directory.CreateDirectory(_storage);
        string htpasswd = Path.Combine(_storage, "htpasswd");
        ProcessRunner.RunChecked("htpasswd", "-Bbc", htpasswd, User, Password);
        int port = FreePort();
        var start = ProcessRunner.Run("bash", [Path.Combine(fixture.RepositoryRoot, "build", "start-registry.sh"), port.ToString(), Path.Combine(_storage, "registry")],
            environment: new Dictionary<string, string?> { ["REGISTRY_HTPASSWD"] = htpasswd });
        Assert.True(start.ExitCode == 0, start.All);
        return _registry = $"127.0.0.1:{port}";
    }

    [Fact]
    public void WrongPasswordIsACodedErrorAndRightPasswordPushes()
    {
        string registry = StartRegistry();
        using var app = new AppProject(fixture, "Auth", AppProject.ConsoleProperties(), "Console.WriteLine(\"auth\");");
        string[] properties = ["ContainerPlatforms=linux-x64", $"ContainerRegistry={registry}", "ContainerRepository=e2e/auth",
            $"ContainerBaseImage={fixture.RuntimeBase}", "UseAppHost=false"];

        var wrong = app.Publish(Credentials("not-the-password"), properties);
        Assert.True(wrong.ExitCode != 0, wrong.All);
        Assert.Contains(wrong.Output.Split('\n'), l => l.Contains("error MAB2", StringComparison.Ordinal) && l.Contains(registry, StringComparison.Ordinal));
        Assert.DoesNotContain("not-the-password", wrong.All);
        Assert.Null(TagsWithCredentials(registry));

        string binlog = Path.Combine(app.Directory, "publish.binlog");
        var right = app.Publish(PreferredCredentials(Password), [.. properties, "-bl:" + binlog]);
        Assert.True(right.ExitCode == 0, right.All);
        Assert.DoesNotContain(Password, right.All);
        // The binary log holds every property, item and message of the build; the password is in none of them.
        // (MSBuild itself records every DOTNET_* variable in it, hence the MULTIARCH_* names here.)
        string log = BinlogText(binlog);
        Assert.Contains("PublishContainerImages", log);
        Assert.DoesNotContain(Password, log);
        Assert.Equal(["latest"], TagsWithCredentials(registry));
    }

    /// <summary>A binlog is a gzip stream of a binary format whose strings are UTF-8; decompressed, a secret would show as plain bytes.</summary>
    private static string BinlogText(string path)
    {
        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress);
        using var text = new MemoryStream();
        gzip.CopyTo(text);
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }

    private static Dictionary<string, string?> PreferredCredentials(string password) => new()
    {
        ["MULTIARCH_REGISTRY_USERNAME"] = User,
        ["MULTIARCH_REGISTRY_PASSWORD"] = password,
    };

    private static Dictionary<string, string?> Credentials(string password) => new()
    {
        ["DOTNET_CONTAINER_REGISTRY_UNAME"] = User,
        ["DOTNET_CONTAINER_REGISTRY_PWORD"] = password,
    };

    private static IReadOnlyList<string>? TagsWithCredentials(string registry)
    {
        var result = ProcessRunner.Run("skopeo", ["list-tags", "--tls-verify=false", "--creds", $"{User}:{Password}", $"docker://{registry}/e2e/auth"]);
        if (result.ExitCode != 0) return null;
        var tags = System.Text.Json.JsonDocument.Parse(result.Output).RootElement.GetProperty("Tags");
        return tags.ValueKind == System.Text.Json.JsonValueKind.Array ? tags.EnumerateArray().Select(t => t.GetString()!).ToList() : [];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        string pidFile = Path.Combine(_storage, "registry", "registry.pid");
        if (_registry is not null && File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid))
        {
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true); } catch (ArgumentException) { }
        }
        try { Directory.Delete(_storage, recursive: true); } catch (IOException) { }
    }
}
