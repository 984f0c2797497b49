using System.Collections.Concurrent;
using System.Diagnostics;

namespace WeightShare.LoadTest;

/// <summary>
/// Every request of the load, by kind: each one's latency and how it ended. A 429 with Retry-After is the heavy-request
/// queue saying "later", which api.md promises, so it is counted apart from errors; an error is a 5xx, a failed
/// connection, a timeout, or any answer the kind does not expect.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly ConcurrentDictionary<string, Kind> _kinds = new(StringComparer.Ordinal);

    /// <summary>Times <paramref name="request"/> and records its outcome under <paramref name="kind"/>; never throws but for cancellation of the whole load.</summary>
    public async Task<Outcome> MeasureAsync(string kind, Func<CancellationToken, Task<Outcome>> request, TimeSpan timeout, CancellationToken stopping)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        limit.CancelAfter(timeout);
        var clock = Stopwatch.StartNew();
        Outcome outcome;
        try
        {
            outcome = await request(limit.Token);
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // The load's end cut this request short (as a cancellation, or as a connection closed under it): not the
            // server's doing, and not counted.
            return Outcome.Cancelled;
        }
        catch (OperationCanceledException)
        {
            outcome = Outcome.Error("timeout");
        }
        catch (HttpRequestException e)
        {
            outcome = Outcome.Error("connection: " + (e.HttpRequestError == HttpRequestError.Unknown ? e.Message : e.HttpRequestError.ToString()));
        }
        catch (Exception e)
        {
            // Whatever else a request or a hub call throws (an I/O error, a WebSocket closed, a HubException, a circuit
            // refused) is an error of that kind, not the end of the client.
            outcome = Outcome.Error(e.GetType().Name + ": " + e.Message);
        }
        Record(kind, clock.Elapsed.TotalMilliseconds, outcome);
        return outcome;
    }

    /// <summary>Records an outcome measured elsewhere (a hub message's arrival, a circuit's first render).</summary>
    public void Record(string kind, double milliseconds, Outcome outcome)
    {
        if (outcome.IsCancelled)
        {
            return;
        }
        var entry = _kinds.GetOrAdd(kind, _ => new Kind());
        lock (entry)
        {
            if (outcome.ErrorKind is { } error)
            {
                entry.Errors[error] = entry.Errors.GetValueOrDefault(error) + 1;
            }
            else if (outcome.Throttled)
            {
                entry.Throttled++;
            }
            else
            {
                entry.Milliseconds.Add(milliseconds);
            }
        }
    }

    /// <summary>Counts something that has no latency of its own (hub messages received).</summary>
    public void Count(string kind) => Record(kind, double.NaN, Outcome.Ok);

    public IReadOnlyList<KindSummary> Summarise() => [.. _kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k =>
    {
        lock (k.Value)
        {
            var timed = k.Value.Milliseconds.Where(m => !double.IsNaN(m)).Order().ToArray();
            return new KindSummary(
                k.Key,
                k.Value.Milliseconds.Count,
                k.Value.Throttled,
                k.Value.Errors.Values.Sum(),
                timed.Length == 0 ? null : Percentile(timed, 0.50),
                timed.Length == 0 ? null : Percentile(timed, 0.99),
                timed.Length == 0 ? null : timed[^1],
                new SortedDictionary<string, int>(k.Value.Errors, StringComparer.Ordinal));
        }
    })];

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed class Kind
    {
        public List<double> Milliseconds { get; } = [];

        public int Throttled { get; set; }

        public Dictionary<string, int> Errors { get; } = new(StringComparer.Ordinal);
    }
}
