using System.Net;

namespace WeightShare.LoadTest;

/// <summary>How one request ended: fine, throttled (429 with Retry-After), an error of some kind, or cut short by the load's end.</summary>
public sealed record Outcome(string? ErrorKind, bool Throttled, TimeSpan? RetryAfter = null, bool IsCancelled = false)
{
    public static Outcome Ok { get; } = new(null, false);

    public static Outcome Cancelled { get; } = new(null, false, IsCancelled: true);

    public static Outcome Error(string kind) => new(kind, false);

    /// <summary>The outcome of an answer whose expected statuses are <paramref name="expected"/>; 429 counts as throttled only with Retry-After.</summary>
    public static Outcome Of(HttpResponseMessage answer, params HttpStatusCode[] expected)
    {
        if (expected.Contains(answer.StatusCode))
        {
            return Ok;
        }
        if (answer.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return answer.Headers.RetryAfter?.Delta is { } wait
                ? new Outcome(null, true, wait)
                : Error("429 without Retry-After");
        }
        return Error($"{(int)answer.StatusCode} {answer.StatusCode}");
    }
}
