using System.Text;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Publishing;
using MultiArch.Build.Registry.Push;
using static MultiArch.Build.Tests.Registry.TestImages;

namespace MultiArch.Build.Tests.Registry;

public class RegistryAuthTests
{
    private static Dictionary<string, string> Credentials(string user, string password) => new()
    {
        [CredentialStore.UserNameVariable] = user,
        [CredentialStore.PasswordVariable] = password,
    };

    [Fact]
    public async Task AnonymousBearerTokenIsFetchedWithoutCredentials()
    {
        var registry = new FakeRegistry(new FakeAuth(FakeAuthMode.Bearer, AllowAnonymous: true));
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 30);
        using var client = Client(registry);

        await new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["latest"], CancellationToken.None);

        AssertComplete(registry, "app", index, "latest");
        var tokenRequests = registry.Requests.Where(r => r.PathAndQuery.StartsWith("/token")).ToList();
        Assert.Single(tokenRequests);
        Assert.Null(tokenRequests[0].Authorization);
        Assert.Contains("scope=repository:app:pull,push", tokenRequests[0].PathAndQuery);
        Assert.Contains("service=fake-service", tokenRequests[0].PathAndQuery);
    }

    [Fact]
    public async Task CredentialsAreNotSentToATokenServiceOnAnotherSite()
    {
        var registry = new FakeRegistry(new FakeAuth(FakeAuthMode.Bearer, "alice", "s3cret-pw") { RealmHost = "tokens.elsewhere.test" });
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 39);
        using var client = Client(registry, environment: Credentials("alice", "s3cret-pw"));

        var error = await Assert.ThrowsAsync<MabException>(() => new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["latest"], CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryAuthenticationFailed, error.Code);
        var tokenRequests = registry.Requests.Where(r => r.PathAndQuery.StartsWith("/token")).ToList();
        Assert.NotEmpty(tokenRequests);
        Assert.All(tokenRequests, r => Assert.Null(r.Authorization));
        Assert.DoesNotContain(registry.Requests, r => r.Authorization?.StartsWith("Basic", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void AChallengeNamesTheErrorOfARefusedToken()
    {
        var challenge = AuthChallenge.Parse("Bearer", "realm=\"https://r/token\",service=\"r\",scope=\"repository:app:pull,push\",error=\"insufficient_scope\"");
        Assert.True(challenge.IsInsufficientScope);
        Assert.Equal("repository:app:pull,push", challenge.Scope);
        Assert.False(AuthChallenge.Parse("Bearer", "realm=\"https://r/token\",error=\"invalid_token\"").IsInsufficientScope);
    }

    [Theory]
    [InlineData("https://fake.registry.test/token", "https://fake.registry.test", true)]
    [InlineData("https://fake.registry.test:8443/token", "https://fake.registry.test", true)] // the same host on another port
    [InlineData("https://auth.docker.io/token", "https://registry-1.docker.io", true)] // the same site
    [InlineData("https://docker.io/token", "https://registry-1.docker.io", true)]
    [InlineData("https://auth.docker.io.evil.test/token", "https://registry-1.docker.io", false)]
    [InlineData("https://evil.test/token", "https://registry.example.com", false)]
    [InlineData("https://other.io/token", "https://ghcr.io", false)] // ghcr.io's parent is the bare io
    [InlineData("https://127.0.0.2/token", "http://127.0.0.1:5000", false)]
    [InlineData("http://127.0.0.1:5001/token", "http://127.0.0.1:5000", true)]
    [InlineData("http://fake.registry.test/token", "https://fake.registry.test", false)] // plain HTTP from an HTTPS registry
    [InlineData("http://auth.registry.test/token", "http://fake.registry.test", false)] // plain HTTP to another host of the site
    public void TokenServicesGetCredentialsOnlyOnTheRegistrysHostOrSite(string realm, string registry, bool allowed) =>
        Assert.Equal(allowed, CredentialPolicy.MayReceiveCredentials(new Uri(realm), new Uri(registry)));

    [Theory]
    [InlineData("https://fake.registry.test/v2/app/blobs/uploads/1", "https://fake.registry.test/", true)]
    [InlineData("https://FAKE.registry.test:443/v2/", "https://fake.registry.test/", true)]
    [InlineData("https://fake.registry.test:8443/v2/", "https://fake.registry.test/", false)] // another port is another service
    [InlineData("https://storage.registry.test/upload/1", "https://fake.registry.test/", false)] // same site is not enough
    [InlineData("http://127.0.0.1:5000/v2/", "http://127.0.0.1:5000/", true)]
    public void RequestsCarryTheRegistrysCredentialsOnlyToTheRegistryItself(string target, string registry, bool allowed) =>
        Assert.Equal(allowed, CredentialPolicy.IsRegistryItself(new Uri(target), new Uri(registry)));

    [Fact]
    public async Task BearerTokenIsFetchedWithBasicCredentialsOncePerScope()
    {
        var registry = new FakeRegistry(new FakeAuth(FakeAuthMode.Bearer, "alice", "s3cret-pw") { UseAccessTokenField = true });
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 31);
        using var client = Client(registry, environment: Credentials("alice", "s3cret-pw"));

        await new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["latest"], CancellationToken.None);
        await new RegistryDestination(client, Repo("other")).WriteIndexAsync(index, ["latest"], CancellationToken.None);

        AssertComplete(registry, "app", index, "latest");
        AssertComplete(registry, "other", index, "latest");
        var tokenRequests = registry.Requests.Where(r => r.PathAndQuery.StartsWith("/token")).ToList();
        Assert.Equal(2, tokenRequests.Count); // one per repository scope, not per request
        Assert.All(tokenRequests, r => Assert.Equal("Basic " + FakeTokenService.Basic("alice", "s3cret-pw"), r.Authorization));
        Assert.Contains("account=alice", tokenRequests[0].PathAndQuery);
    }

    [Fact]
    public async Task ExpiredTokenIsRefreshedWhenTheRegistryRejectsIt()
    {
        var registry = new FakeRegistry(new FakeAuth(FakeAuthMode.Bearer, "alice", "pw") { TokenUses = 10 });
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 32);
        using var client = Client(registry, environment: Credentials("alice", "pw"));

        await new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["latest"], CancellationToken.None);

        AssertComplete(registry, "app", index, "latest");
        int authorized = registry.Requests.Count(r => r.Authorization?.StartsWith("Bearer") == true);
        Assert.True(authorized > 10, $"{authorized} requests");
        Assert.True(registry.TokenRequests >= 2, $"{registry.TokenRequests} tokens"); // each token served 10 requests, then was refused and renewed
    }

    [Fact]
    public async Task TokenExpiresInIsHonoured()
    {
        var time = new ManualTime();
        var registry = new FakeRegistry(new FakeAuth(FakeAuthMode.Bearer, AllowAnonymous: true) { ExpiresIn = 60 });
        using var client = new RegistryClient(Options(registry) is var o ? new RegistryOptions { Handler = o.Handler, Environment = o.Environment, Time = time } : null);
        var repo = Repo("app");

        await client.BlobExistsAsync(repo, Digest.Compute([1]), CancellationToken.None);
        await client.BlobExistsAsync(repo, Digest.Compute([2]), CancellationToken.None);
        Assert.Equal(1, registry.TokenRequests);
        time.Advance(TimeSpan.FromSeconds(55));
        registry.Requests.Clear();
        await client.BlobExistsAsync(repo, Digest.Compute([3]), CancellationToken.None);

        Assert.Equal(2, registry.TokenRequests);
        Assert.Equal(["/token", "/v2/app/blobs/"], registry.Requests.Select(r => r.PathAndQuery[..Math.Min(r.PathAndQuery.Length, r.PathAndQuery.StartsWith("/token") ? 6 : 14)]));
    }

    [Fact]
    public async Task IdentityTokenIsExchangedWithARefreshTokenGrant()
    {
        string home = Directory.CreateTempSubdirectory("mab-home").FullName;
        Directory.CreateDirectory(Path.Combine(home, ".docker"));
        File.WriteAllText(Path.Combine(home, ".docker", "config.json"), "{\"auths\":{\"https://" + FakeRegistry.Host + "/v2/\":{\"identitytoken\":\"refresh-me-123\"}}}");
        var registry = new FakeRegistry(new FakeAuth(FakeAuthMode.Bearer) { IdentityToken = "refresh-me-123" });
        using var client = Client(registry, environment: new Dictionary<string, string> { ["HOME"] = home });

        Assert.False(await client.BlobExistsAsync(Repo("app"), Digest.Compute([1]), CancellationToken.None));

        var token = Assert.Single(registry.Requests, r => r.PathAndQuery.StartsWith("/token"));
        Assert.Equal("POST", token.Method);
    }

    [Fact]
    public async Task AnIdentityTokenIsNeverSentToAPlainHttpTokenService()
    {
        string home = IdentityTokenHome("refresh-me-456");
        var https = new FakeRegistry(new FakeAuth(FakeAuthMode.Bearer) { IdentityToken = "refresh-me-456", RealmScheme = "http" });
        using (var client = Client(https, environment: new Dictionary<string, string> { ["HOME"] = home }))
        {
            var error = await Assert.ThrowsAsync<MabException>(() => client.BlobExistsAsync(Repo("app"), Digest.Compute([1]), CancellationToken.None));

            Assert.Equal(ErrorCode.RegistryAuthenticationFailed, error.Code);
            Assert.Contains("plain HTTP", error.Message);
            Assert.DoesNotContain(https.Requests, r => r.PathAndQuery.StartsWith("/token"));
        }

        // A plain-HTTP registry may use a plain-HTTP token service on its own host only, not on another host of its site.
        var plain = new FakeRegistry(new FakeAuth(FakeAuthMode.Bearer) { IdentityToken = "refresh-me-456", RealmScheme = "http", RealmHost = "auth.registry.test" });
        var options = Options(plain, environment: new Dictionary<string, string> { ["HOME"] = home });
        using (var client = new RegistryClient(new RegistryOptions { Handler = options.Handler, Environment = options.Environment, InsecureRegistries = [FakeRegistry.Host] }))
        {
            var error = await Assert.ThrowsAsync<MabException>(() => client.BlobExistsAsync(Repo("app"), Digest.Compute([1]), CancellationToken.None));

            Assert.Equal(ErrorCode.RegistryAuthenticationFailed, error.Code);
            var tokenRequests = plain.Requests.Where(r => r.PathAndQuery.StartsWith("/token")).ToList();
            Assert.NotEmpty(tokenRequests);
            Assert.All(tokenRequests, r => Assert.Equal("GET", r.Method));
            Assert.All(tokenRequests, r => Assert.Null(r.Authorization));
        }
    }

    private static string IdentityTokenHome(string identityToken)
    {
        string home = Directory.CreateTempSubdirectory("mab-home").FullName;
        Directory.CreateDirectory(Path.Combine(home, ".docker"));
        File.WriteAllText(Path.Combine(home, ".docker", "config.json"), "{\"auths\":{\"" + FakeRegistry.Host + "\":{\"identitytoken\":\"" + identityToken + "\"}}}");
        return home;
    }

    [Fact]
    public async Task BasicAuthSendsCredentialsAfterTheChallenge()
    {
        var registry = new FakeRegistry(new FakeAuth(FakeAuthMode.Basic, "bob", "pw"));
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 33);
        using var client = Client(registry, environment: Credentials("bob", "pw"));

        await new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["latest"], CancellationToken.None);

        AssertComplete(registry, "app", index, "latest");
        Assert.Equal(0, registry.TokenRequests);
    }

    [Fact]
    public async Task WrongPasswordIsACodedErrorAndNothingIsPushed()
    {
        var registry = new FakeRegistry(new FakeAuth(FakeAuthMode.Bearer, "alice", "right"));
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 34);
        using var client = Client(registry, environment: Credentials("alice", "wrong"));

        var error = await Assert.ThrowsAsync<MabException>(() => new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["latest"], CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryAuthenticationFailed, error.Code);
        Assert.Contains(FakeRegistry.Host, error.Message);
        Assert.Equal(0, registry.BlobCount("app"));
        Assert.Equal(0, registry.TagCount("app"));
    }

    [Fact]
    public async Task AnonymousTokenWithoutPushRightsAsksForCredentials()
    {
        // The token service hands out anonymous tokens, but the registry accepts none of them for a push.
        var registry = new FakeRegistry(new FakeAuth(FakeAuthMode.Bearer, AllowAnonymous: true) { TokenUses = 0 });
        using var client = Client(registry);

        var error = await Assert.ThrowsAsync<MabException>(() => client.PutManifestAsync(Repo("app"), "v1", MediaTypes.OciManifest, [1, 2], null, CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryAuthenticationFailed, error.Code);
        Assert.Contains("none were found", error.Message);
    }

    [Fact]
    public async Task CredentialsAreNotSentToAPlainHttpTokenService()
    {
        var registry = new FakeRegistry(new FakeAuth(FakeAuthMode.Bearer, "alice", "pw") { RealmScheme = "http" });
        using var client = Client(registry, environment: Credentials("alice", "pw"));

        var error = await Assert.ThrowsAsync<MabException>(() => client.BlobExistsAsync(Repo("app"), Digest.Compute([1]), CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryAuthenticationFailed, error.Code);
        Assert.Contains("plain HTTP", error.Message);
        Assert.DoesNotContain(registry.Requests, r => r.PathAndQuery.StartsWith("/token"));
    }

    [Fact]
    public async Task NoCredentialsForAPrivateRegistryIsACodedError()
    {
        var registry = new FakeRegistry(new FakeAuth(FakeAuthMode.Basic, "bob", "pw"));
        using var client = Client(registry);

        var error = await Assert.ThrowsAsync<MabException>(() => client.BlobExistsAsync(Repo("app"), Digest.Compute([1]), CancellationToken.None));

        Assert.Equal(ErrorCode.RegistryAuthenticationFailed, error.Code);
        Assert.Contains("none were found", error.Message);
    }

    [Fact]
    public async Task SecretsNeverReachLogsOrErrors()
    {
        const string password = "Pa55-UNIQUE-secret-value";
        var log = new CapturingLog();
        var messages = new List<string>();
        var bearer = new FakeRegistry(new FakeAuth(FakeAuthMode.Bearer, "alice", password) { TokenUses = 3 });
        var index = TwoPlatformIndex(new MemoryBlobSource(), seed: 35);
        bearer.AddFault(new Fault { Method = "PUT", PathContains = "/manifests/", Status = System.Net.HttpStatusCode.ServiceUnavailable, Remaining = 100 });
        using (var client = Client(bearer, [], log, Credentials("alice", password)))
        {
            messages.Add((await Assert.ThrowsAsync<MabException>(() => new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["x"], CancellationToken.None))).ToString());
            messages.Add((await Assert.ThrowsAsync<MabException>(() => BaseImageSelection.SelectAsync(new ImageSourceReader(new RegistryImageSource(client, Repo("app").WithTag("none"))), [new Platform { OS = "linux", Architecture = "amd64" }], CancellationToken.None))).ToString());
        }
        using (var wrong = Client(bearer, [], log, Credentials("alice", password + "-wrong")))
            messages.Add((await Assert.ThrowsAsync<MabException>(() => wrong.BlobExistsAsync(Repo("app"), Digest.Compute([1]), CancellationToken.None))).ToString());
        var basic = new FakeRegistry(new FakeAuth(FakeAuthMode.Basic, "bob", password));
        using (var wrong = Client(basic, [], log, Credentials("bob", password + "-wrong")))
            messages.Add((await Assert.ThrowsAsync<MabException>(() => wrong.BlobExistsAsync(Repo("app"), Digest.Compute([1]), CancellationToken.None))).ToString());

        var secrets = new List<string> { password, FakeTokenService.Basic("alice", password), FakeTokenService.Basic("bob", password + "-wrong") };
        secrets.AddRange(bearer.IssuedTokens);
        Assert.True(bearer.IssuedTokens.Count >= 2);
        Assert.NotEmpty(log.Lines);
        string everything = log.All + "\n" + string.Join('\n', messages);
        Assert.All(secrets, s => Assert.DoesNotContain(s, everything));
        Assert.Contains("alice", everything); // the user name may show; it is how users find which login is used
    }
}

/// <summary>A clock tests move by hand.</summary>
internal sealed class ManualTime : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
