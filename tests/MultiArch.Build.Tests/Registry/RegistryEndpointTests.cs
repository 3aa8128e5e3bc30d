using System.Net.Http.Headers;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Registry.Transport;

namespace MultiArch.Build.Tests.Registry;

public class RegistryEndpointTests
{
    private static RegistryOptions With(string? insecureVariable = null, params string[] insecure) => new()
    {
        InsecureRegistries = insecure,
        Environment = RegistryEnvironment.From(insecureVariable is null ? new Dictionary<string, string>() : new() { [RegistryOptions.InsecureRegistriesVariable] = insecureVariable }),
    };

    [Theory]
    [InlineData("localhost", "http://localhost/")]
    [InlineData("localhost:5000", "http://localhost:5000/")]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("127.8.9.10", "http://127.8.9.10/")]
    [InlineData("[::1]:5000", "http://[::1]:5000/")]
    [InlineData("docker.io", "https://registry-1.docker.io/")]
    [InlineData("registry.example.com:5000", "https://registry.example.com:5000/")]
    [InlineData("128.0.0.1:5000", "https://128.0.0.1:5000/")]
    [InlineData("localhost.example.com", "https://localhost.example.com/")]
    public void OnlyLoopbackIsPlainHttpByDefault(string registry, string expected) =>
        Assert.Equal(expected, RegistryEndpoint.For(registry, With()).BaseUri.ToString());

    [Fact]
    public void ListedInsecureRegistriesUsePlainHttp()
    {
        var options = With("reg.lan:5000; other.lan ,", "opt.lan");
        Assert.True(RegistryEndpoint.For("reg.lan:5000", options).IsPlainHttp);
        Assert.True(RegistryEndpoint.For("other.lan:5000", options).IsPlainHttp); // a host without port covers every port
        Assert.True(RegistryEndpoint.For("opt.lan", options).IsPlainHttp);
        Assert.False(RegistryEndpoint.For("reg.lan:6000", options).IsPlainHttp);
        Assert.False(RegistryEndpoint.For("reg.lan", options).IsPlainHttp);
    }

    [Fact]
    public void BackoffGrowsWithJitterAndRetryAfterWins()
    {
        var policy = new RetryPolicy(new RegistryOptions { RetryBaseDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(5) });
        for (int i = 0; i < 20; i++)
        {
            Assert.InRange(policy.DelayBefore(2, null).TotalMilliseconds, 500, 1000);
            Assert.InRange(policy.DelayBefore(3, null).TotalMilliseconds, 1000, 2000);
            Assert.InRange(policy.DelayBefore(10, null).TotalMilliseconds, 2500, 5000);
        }
        Assert.Equal(TimeSpan.FromSeconds(9), policy.DelayBefore(2, new RetryConditionHeaderValue(TimeSpan.FromSeconds(9))));
        Assert.Equal(TimeSpan.FromMinutes(2), policy.DelayBefore(2, new RetryConditionHeaderValue(TimeSpan.FromHours(1))));
    }

    [Theory]
    [InlineData("realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:a/b:pull,push\"", "https://auth.example.com/token", "registry.example.com", "repository:a/b:pull,push")]
    [InlineData("realm=https://auth/token, service=svc", "https://auth/token", "svc", null)]
    [InlineData("service=\"x\\\"y\",realm=\"r\"", "r", "x\"y", null)]
    public void ParsesBearerChallenges(string parameters, string realm, string service, string? scope)
    {
        var challenge = AuthChallenge.Parse("Bearer", parameters);
        Assert.True(challenge.IsBearer);
        Assert.Equal(realm, challenge.Realm);
        Assert.Equal(service, challenge.Service);
        Assert.Equal(scope, challenge.Scope);
    }
}
