using MultiArch.Build.Diagnostics;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;

namespace MultiArch.Build.Tests.Registry;

public class RegistryClientsTests
{
    [Fact]
    public void TheBuildsPullAndPushClientsShareOneConnectionAndKeepTheirPurpose()
    {
        using var clients = RegistryClients.ForBuild("r.example", NullBuildLog.Instance, "push.example");

        Assert.Equal(CredentialPurpose.Pull, clients.Pull.Http.Purpose);
        Assert.Equal(CredentialPurpose.Push, clients.Push.Http.Purpose);
        // One set of resolved endpoints (and one connection pool behind them).
        Assert.Same(clients.Pull.Http.Endpoint("r.example"), clients.Push.Http.Endpoint("r.example"));
        Assert.True(clients.Push.Http.Endpoint("r.example").IsPlainHttp);
        Assert.Equal(["push.example"], clients.Pull.Options.TargetRegistries);
        Assert.Equal(["push.example"], clients.Push.Options.TargetRegistries);
    }

    [Fact]
    public void AClientMadeOnItsOwnHasItsOwnConnection()
    {
        using var one = new RegistryClient(new RegistryOptions());
        using var two = new RegistryClient(new RegistryOptions());
        Assert.NotSame(one.Http.Endpoint("r.example"), two.Http.Endpoint("r.example"));
    }
}
