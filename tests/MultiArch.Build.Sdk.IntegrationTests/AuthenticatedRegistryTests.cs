namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>A second real registry that requires Basic auth (htpasswd): credentials reach it through the environment, and a wrong password pushes nothing.</summary>
[Collection(SdkCollection.Name)]
public sealed class AuthenticatedRegistryTests(SdkFixture fixture) : IDisposable
{
    private const string User = "e2e-user";
    private const string Password = "pw-7Hq2-not-for-logs";
    private readonly RegistryFixture _registry = RegistryFixture.Start(User, Password);

    [Fact]
    public void WrongPasswordIsACodedErrorAndRightPasswordPushes()
    {
        string registry = _registry.Host;
        using var app = new AppProject(fixture, "Auth", AppProject.ConsoleProperties(), "Console.WriteLine(\"auth\");");
        string[] properties = ["ContainerPlatforms=linux-x64", $"ContainerRegistry={registry}", "ContainerRepository=e2e/auth",
            $"ContainerBaseImage={fixture.RuntimeBase}", "UseAppHost=false"];

        var wrong = app.Publish(Credentials("not-the-password"), properties);
        Assert.True(wrong.ExitCode != 0, wrong.All);
        Assert.Contains(wrong.Output.Split('\n'), l => l.Contains("error MAB2", StringComparison.Ordinal) && l.Contains(registry, StringComparison.Ordinal));
        Assert.DoesNotContain("not-the-password", wrong.All);
        Assert.Null(Skopeo.Tags($"{registry}/e2e/auth", _registry.SkopeoCredentials()));

        string binlog = Path.Combine(app.Directory, "publish.binlog");
        var right = app.Publish(PreferredCredentials(Password), [.. properties, "-bl:" + binlog]);
        Assert.True(right.ExitCode == 0, right.All);
        Assert.DoesNotContain(Password, right.All);
        // The binary log holds every property, item and message of the build; the password is in none of them.
        // (MSBuild itself records every DOTNET_* variable in it, hence the MULTIARCH_* names here.)
        string log = BinlogText(binlog);
        Assert.Contains("PublishContainerImages", log);
        Assert.DoesNotContain(Password, log);
        Assert.Equal(["latest"], Skopeo.Tags($"{registry}/e2e/auth", _registry.SkopeoCredentials()));
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

    public void Dispose() => _registry.DisposeAsync().GetAwaiter().GetResult();
}
