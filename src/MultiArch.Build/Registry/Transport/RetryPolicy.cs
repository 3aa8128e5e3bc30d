using System.Net;
using System.Net.Http.Headers;

namespace MultiArch.Build.Registry.Transport;

/// <summary>
/// When and how long to wait before trying a request again: connection errors and the statuses
/// a busy or restarting registry answers (408, 429, 500, 502, 503, 504). Delays double from the
/// base up to a ceiling, each drawn between half and all of that step ("equal jitter", so parallel
/// uploads spread out but never retry at once); a Retry-After header wins, up to two minutes.
/// </summary>
public sealed class RetryPolicy
{
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(2);
    private readonly RegistryOptions _options;

    public RetryPolicy(RegistryOptions options)
    {
        _options = options;
    }

    public int MaxAttempts => Math.Max(1, _options.MaxAttempts);

    public static bool IsRetryable(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout
        or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
        or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The delay before try number <paramref name="nextAttempt"/> (2 for the first retry).</summary>
    public TimeSpan DelayBefore(int nextAttempt, RetryConditionHeaderValue? retryAfter)
    {
        var asked = FromRetryAfter(retryAfter);
        if (asked is { } wait) return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxRetryAfter ? MaxRetryAfter : wait;
        double ceiling = Math.Min(_options.MaxRetryDelay.TotalMilliseconds, _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, nextAttempt - 2));
        // Half fixed, half random: retries from parallel uploads spread out but never collapse to zero.
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }

    public Task WaitAsync(int nextAttempt, RetryConditionHeaderValue? retryAfter, CancellationToken cancellationToken) =>
        _options.Delay(DelayBefore(nextAttempt, retryAfter), cancellationToken);

    private TimeSpan? FromRetryAfter(RetryConditionHeaderValue? retryAfter)
    {
        if (retryAfter?.Delta is { } delta) return delta;
        if (retryAfter?.Date is { } date) return date - _options.Time.GetUtcNow();
        return null;
    }
}
