using System.Diagnostics;
using System.Text.RegularExpressions;

namespace WeightShare.EndToEnd.Tests.Pages;

/// <summary>
/// Watches a run page that is never reloaded while its search runs: the chart as counted and as drawn, and the
/// throughput figure, until two different generations have been drawn with more points the second time.
/// </summary>
public static partial class LiveChart
{
    public sealed record Watched(ParetoChartState? First, ParetoChartState? Later, string ThroughputAtStart, string? ThroughputLater, IReadOnlyList<string> Seen);

    public static async Task<Watched> WatchAsync(RunPageObject run, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        ParetoChartState? first = null;
        string? throughputStart = null;
        var seen = new List<string>();
        while (clock.Elapsed < timeout)
        {
            var status = (await run.Status.InnerTextAsync()).Trim();
            var state = await run.ReadParetoChartAsync();
            var throughput = (await run.Throughput.InnerTextAsync()).Trim();
            seen.Add($"{clock.Elapsed:mm\\:ss} {status} gen {state.Generation}: evaluated {state.Evaluated}, markers {state.Markers}, throughput {throughput}");
            throughputStart ??= throughput;
            if (status is "Succeeded" or "Failed" or "Canceled")
            {
                break;
            }
            if (first is null && state.Markers > 0 && state.Generation > 0)
            {
                first = state;
            }
            else if (first is not null && state.Generation > first.Generation && state.Evaluated > first.Evaluated
                && state.Markers > first.Markers && Rate().IsMatch(throughput))
            {
                return new(first, state, throughputStart, throughput, seen.Distinct().ToArray());
            }
            await Task.Delay(100);
        }
        return new(first, null, throughputStart ?? "", null, seen.Distinct().ToArray());
    }

    public static void AssertGrew(Watched watched)
    {
        var log = "\n" + string.Join("\n", watched.Seen);
        Assert.True(watched.First is not null, "The chart drew no point while the run was in progress." + log);
        Assert.True(watched.Later is not null, "The chart did not gain drawn points (with a throughput shown) between two generations while the run was in progress." + log);
        // The page may open before the first generation ("—") or after it (a first rate); either way the figure must
        // change while the page stays open, which only a live update does.
        Assert.True(watched.ThroughputAtStart == "—" || Rate().IsMatch(watched.ThroughputAtStart), "The throughput showed neither \"—\" nor a rate at first." + log);
        Assert.Matches(Rate(), watched.ThroughputLater!);
        Assert.NotEqual(watched.ThroughputAtStart, watched.ThroughputLater);
    }

    [GeneratedRegex(@"^\d+(\.\d+)? evaluations/s$")]
    private static partial Regex Rate();
}
