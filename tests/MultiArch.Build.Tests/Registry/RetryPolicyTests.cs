using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Transport;

namespace MultiArch.Build.Tests.Registry;

public class RetryPolicyTests
{
    [Fact]
    public void TheDefaultRetriesRideOutARegistryRestartOfTwentySeconds()
    {
        var policy = new RetryPolicy(new RegistryOptions());
        var waits = Enumerable.Range(2, policy.MaxAttempts - 1).Select(attempt => policy.DelayBefore(attempt, null)).ToList();
        var total = waits.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait);

        // Each wait is between half and all of its step (0.5 s doubling to at most 10 s): 27.75–55.5 s in all.
        Assert.InRange(total, TimeSpan.FromSeconds(27.75), TimeSpan.FromSeconds(55.5));
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromSeconds(0.25), TimeSpan.FromSeconds(10)));
        Assert.InRange(waits[^1], TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)); // the ceiling is reached
    }

    [Fact]
    public void RetryAfterWinsUpToTwoMinutes()
    {
        var policy = new RetryPolicy(new RegistryOptions());
        Assert.Equal(TimeSpan.FromSeconds(17), policy.DelayBefore(2, new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(17))));
        Assert.Equal(TimeSpan.FromMinutes(2), policy.DelayBefore(2, new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromHours(1))));
    }
}
