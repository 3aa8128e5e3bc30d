using System.Text;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;

namespace MultiArch.Build.Tests.Registry;

public sealed class CredentialStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mab-creds").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Auth(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static string Auths(params (string Key, string User, string Password)[] entries) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["auths"] = entries.ToDictionary(e => e.Key, e => new Dictionary<string, string> { ["auth"] = Auth(e.User, e.Password) }),
        });

    private string Write(string relative, string json)
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    private Task<RegistryCredential?> Find(Dictionary<string, string> variables, string registry, CredentialPurpose purpose = CredentialPurpose.Push)
    {
        variables.TryAdd("HOME", Path.Combine(_dir, "home"));
        return new CredentialStore(RegistryEnvironment.From(variables), NullBuildLog.Instance).FindAsync(registry, purpose, CancellationToken.None);
    }

    [Fact]
    public async Task PurposeSpecificVariablesWinOverTheGeneralPair()
    {
        var variables = new Dictionary<string, string>
        {
            [CredentialStore.UserNameVariable] = "general", [CredentialStore.PasswordVariable] = "g",
            [CredentialStore.PushUserNameVariable] = "pusher", [CredentialStore.PushPasswordVariable] = "p",
        };
        Assert.Equal("pusher", (await Find(new(variables), "r.example"))!.UserName);
        Assert.Equal("general", (await Find(new(variables), "r.example", CredentialPurpose.Pull))!.UserName);
    }

    [Fact]
    public async Task MultiArchVariablesWinOverTheSdkNames()
    {
        var variables = new Dictionary<string, string>
        {
            [CredentialStore.PreferredUserNameVariable] = "preferred", [CredentialStore.PreferredPasswordVariable] = "m",
            [CredentialStore.UserNameVariable] = "general", [CredentialStore.PasswordVariable] = "g",
            [CredentialStore.PushUserNameVariable] = "pusher", [CredentialStore.PushPasswordVariable] = "p",
        };
        Assert.Equal("preferred", (await Find(new(variables), "r.example"))!.UserName);
        Assert.Equal("preferred", (await Find(new(variables), "r.example", CredentialPurpose.Pull))!.UserName);
        // Not DOTNET_-prefixed: MSBuild records every DOTNET_* variable in binary logs.
        Assert.False(CredentialStore.PreferredPasswordVariable.StartsWith("DOTNET_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuthFilesAreReadInOrder()
    {
        string authFile = Write("auth.json", Auths(("one.example", "from-auth-file", "1")));
        Write("run/containers/auth.json", Auths(("one.example", "from-xdg", "2"), ("two.example", "xdg-two", "2")));
        Write("docker/config.json", Auths(("three.example", "docker-three", "3")));
        var variables = new Dictionary<string, string> { ["REGISTRY_AUTH_FILE"] = authFile, ["XDG_RUNTIME_DIR"] = Path.Combine(_dir, "run"), ["DOCKER_CONFIG"] = Path.Combine(_dir, "docker") };

        Assert.Equal("from-auth-file", (await Find(new(variables), "one.example"))!.UserName);
        Assert.Equal("xdg-two", (await Find(new(variables), "two.example"))!.UserName);
        var three = (await Find(new(variables), "three.example"))!;
        Assert.Equal(("docker-three", "3"), (three.UserName, three.Password));
        Assert.Null(await Find(new(variables), "four.example"));
    }

    [Theory]
    [InlineData("https://index.docker.io/v1/")]
    [InlineData("docker.io")]
    [InlineData("index.docker.io")]
    [InlineData("registry-1.docker.io")]
    public async Task DockerHubIsFoundUnderEveryAlias(string key)
    {
        Write("home/.docker/config.json", Auths((key, "hubuser", "x")));
        Assert.Equal("hubuser", (await Find([], "docker.io"))!.UserName);
    }

    [Fact]
    public async Task CredentialHelpersAreRunWithTheServerUrl()
    {
        string bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        string log = Path.Combine(_dir, "helper.log");
        string script = Path.Combine(bin, "docker-credential-fake");
        File.WriteAllText(script, $"#!/bin/sh\nread url\necho \"$1 $url\" >> '{log}'\ncase \"$url\" in\n  *index.docker.io*) echo '{{\"ServerURL\":\"x\",\"Username\":\"<token>\",\"Secret\":\"id-tok\"}}' ;;\n  nothere*) echo 'credentials not found in native keychain'; exit 1 ;;\n  *) echo '{{\"ServerURL\":\"x\",\"Username\":\"helped\",\"Secret\":\"pw\"}}' ;;\nesac\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Write("docker/config.json", """{"credHelpers":{"special.example":"fake"},"credsStore":"fake","auths":{"plain.example":{"auth":"cGxhaW46cHc="}}}""");
        var variables = new Dictionary<string, string> { ["DOCKER_CONFIG"] = Path.Combine(_dir, "docker"), ["PATH"] = bin };

        var special = await Find(new(variables), "special.example");
        var hub = await Find(new(variables), "docker.io");
        var plain = await Find(new(variables), "plain.example");
        var missing = await Find(new(variables), "nothere.example");

        Assert.Equal(("helped", "pw"), (special!.UserName, special.Password));
        Assert.Equal("id-tok", hub!.IdentityToken);
        Assert.Equal("plain", plain!.UserName);
        Assert.Null(missing);
        Assert.Equal(["get special.example", "get https://index.docker.io/v1/", "get nothere.example"], File.ReadAllLines(log));
    }

    [Fact]
    public async Task MissingHelperAndBrokenFilesAreCodedErrors()
    {
        Write("docker/config.json", """{"credsStore":"absent"}""");
        var missing = await Assert.ThrowsAsync<MabException>(() => Find(new() { ["DOCKER_CONFIG"] = Path.Combine(_dir, "docker"), ["PATH"] = _dir }, "r.example"));
        Assert.Equal(ErrorCode.CredentialHelperFailed, missing.Code);
        Assert.Contains("docker-credential-absent", missing.Message);

        Write("broken/config.json", "{not json");
        var broken = await Assert.ThrowsAsync<MabException>(() => Find(new() { ["DOCKER_CONFIG"] = Path.Combine(_dir, "broken") }, "r.example"));
        Assert.Equal(ErrorCode.AuthFileInvalid, broken.Code);
    }

    [Fact]
    public void CredentialsNeverPrintTheirSecret()
    {
        var credential = new RegistryCredential("u", "the-password", "the-token", "test");
        Assert.DoesNotContain("the-password", credential.ToString());
        Assert.DoesNotContain("the-token", credential.ToString());
    }
}
