using System.Text;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;

namespace MultiArch.Build.Tests.Registry;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
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

    private Task<RegistryCredential?> Find(Dictionary<string, string> variables, string registry, CredentialPurpose purpose = CredentialPurpose.Push,
        IReadOnlyList<string>? targets = null, bool isRoot = false, TimeSpan? helperTimeout = null)
    {
        variables.TryAdd("HOME", Path.Combine(_dir, "home"));
        var environment = new RegistryEnvironment(name => variables.TryGetValue(name, out var value) ? value : null, variables["HOME"], isRoot)
        {
            HelperTimeout = helperTimeout ?? TimeSpan.FromSeconds(30),
            RootAuthPath = Path.Combine(_dir, "root-run", "containers", "0", "auth.json"),
        };
        return new CredentialStore(environment, NullBuildLog.Instance, targets).FindAsync(registry, purpose, CancellationToken.None);
    }

    [Fact]
    public async Task PushCredentialsGoOnlyToTheTargetRegistryAndBaseCredentialsOnlyToBaseImages()
    {
        var variables = new Dictionary<string, string>
        {
            [CredentialStore.PreferredUserNameVariable] = "pusher", [CredentialStore.PreferredPasswordVariable] = "p",
            [CredentialStore.UserNameVariable] = "sdk", [CredentialStore.PasswordVariable] = "s",
        };
        string[] target = ["push.example:5000"];
        Assert.Equal("pusher", (await Find(new(variables), "push.example:5000", targets: target))!.UserName);
        // A base image in the push registry may use them; one on another port or host gets nothing from them.
        Assert.Equal("pusher", (await Find(new(variables), "PUSH.example:5000", CredentialPurpose.Pull, target))!.UserName);
        Assert.Null(await Find(new(variables), "push.example:5001", CredentialPurpose.Pull, target));
        Assert.Null(await Find(new(variables), "mcr.example", CredentialPurpose.Pull, target));
        Assert.Null(await Find(new(variables), "other.example", CredentialPurpose.Push, target));
        // A layout-only build has no target: the push variables go nowhere.
        Assert.Null(await Find(new(variables), "push.example:5000", CredentialPurpose.Pull, []));

        variables[CredentialStore.BaseUserNameVariable] = "base";
        variables[CredentialStore.BasePasswordVariable] = "b";
        Assert.Equal("base", (await Find(new(variables), "mcr.example", CredentialPurpose.Pull, target))!.UserName);
        Assert.Equal("pusher", (await Find(new(variables), "push.example:5000", CredentialPurpose.Push, target))!.UserName);
    }

    [Fact]
    public async Task PodmanLoginsAreFoundWhereRootlessAndRootPodmanWriteThem()
    {
        Write("config/containers/auth.json", Auths(("config.example", "from-config-home", "1")));
        var variables = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = Path.Combine(_dir, "config") };
        Assert.Equal("from-config-home", (await Find(new(variables), "config.example"))!.UserName);
        Write("home/.config/containers/auth.json", Auths(("home.example", "from-home-config", "1")));
        Assert.Equal("from-home-config", (await Find([], "home.example"))!.UserName);

        // `podman login` as root with no XDG_RUNTIME_DIR writes /run/containers/0/auth.json (here moved into the test's folder): it is read when running as root.
        Write("root-run/containers/0/auth.json", Auths(("root.example", "from-podman-root", "1")));
        Assert.Equal("from-podman-root", (await Find([], "root.example", isRoot: true))!.UserName);
        Assert.Null(await Find([], "root.example", isRoot: false));
    }

    [Fact]
    public async Task AHangingCredentialHelperIsStoppedWithACode()
    {
        string bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        string script = Path.Combine(bin, "docker-credential-hang");
        File.WriteAllText(script, "#!/bin/sh\nsleep 60\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Write("docker/config.json", """{"credsStore":"hang"}""");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<MabException>(() => Find(new() { ["DOCKER_CONFIG"] = Path.Combine(_dir, "docker"), ["PATH"] = bin + ":/usr/bin:/bin" },
            "r.example", helperTimeout: TimeSpan.FromSeconds(1)));
        Assert.Equal(ErrorCode.CredentialHelperFailed, error.Code);
        Assert.Contains("did not answer within 1 s", error.Message);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30));
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
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
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
