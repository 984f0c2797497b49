using WeightShare.Engine.Search;

namespace WeightShare.Engine.Tests.Search;

public class MergeSearchTests
{
    [Fact]
    public async Task RunAsync_ErrorNeverGrows_MergesEverythingIntoOneGroup()
    {
        var steps = new List<MergeStep>();

        var result = await MergeSearch.RunAsync(8, (_, _) => ValueTask.FromResult(0.1), new MergeOptions(), new ListProgress(steps), CancellationToken.None);

        Assert.Equal([0], result.GroupStarts);
        Assert.Equal(0.1, result.ValidationError);
        Assert.Equal(Enumerable.Range(1, 7).Reverse(), steps.Select(s => s.Groups));
    }

    [Fact]
    public async Task RunAsync_EveryMergeCostsError_MergesNothing()
    {
        const int bins = 10;
        var steps = new List<MergeStep>();

        var result = await MergeSearch.RunAsync(
            bins, (starts, _) => ValueTask.FromResult(0.01 * (bins - starts.Count)), new MergeOptions(), new ListProgress(steps), CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, bins), result.GroupStarts);
        Assert.Equal(0.0, result.ValidationError);
        Assert.Empty(steps);
        // Initial partition plus the bins - 1 single merges; (b) at i and (a) at i+1 coincide and are served from cache.
        Assert.Equal(bins, result.Evaluations);
    }

    [Fact]
    public async Task RunAsync_OnlySomeBoundariesAreFree_RemovesExactlyThose()
    {
        // Removing the start of group 3 or 7 costs nothing; any other boundary is needed.
        var needed = new HashSet<int> { 1, 2, 4, 5, 6, 8, 9 };
        ValueTask<double> Error(IReadOnlyList<int> starts, CancellationToken _) =>
            ValueTask.FromResult(needed.Count(b => !starts.Contains(b)) * 0.05);

        var result = await MergeSearch.RunAsync(10, Error, new MergeOptions(), null, CancellationToken.None);

        Assert.Equal([0, 1, 2, 4, 5, 6, 8, 9], result.GroupStarts);
        Assert.Equal(0.0, result.ValidationError);
    }

    [Fact]
    public async Task RunAsync_PicksTheBetterOfTheTwoCandidates()
    {
        // At position 1: (a) removes start 1 (error 0.3), (b) removes start 2 (error 0.1); current error 0.2.
        ValueTask<double> Error(IReadOnlyList<int> starts, CancellationToken _) => ValueTask.FromResult(
            starts.Count == 3 ? 0.2 : starts.SequenceEqual([0, 2]) ? 0.3 : starts.SequenceEqual([0, 1]) ? 0.1 : 0.9);

        var result = await MergeSearch.RunAsync(3, Error, new MergeOptions(), null, CancellationToken.None);

        Assert.Equal([0, 1], result.GroupStarts);
        Assert.Equal(0.1, result.ValidationError);
    }

    [Fact]
    public async Task RunAsync_Tolerance_AcceptsSmallIncreases()
    {
        ValueTask<double> Error(IReadOnlyList<int> starts, CancellationToken _) => ValueTask.FromResult(0.001 * (6 - starts.Count));

        var strict = await MergeSearch.RunAsync(6, Error, new MergeOptions(0), null, CancellationToken.None);
        var loose = await MergeSearch.RunAsync(6, Error, new MergeOptions(0.0015), null, CancellationToken.None);

        Assert.Equal(6, strict.GroupStarts.Count);
        Assert.Single(loose.GroupStarts);
    }

    [Fact]
    public async Task RunAsync_FiftyRandomEvaluators_ErrorNeverIncreasesAndEachPartitionIsEvaluatedOnce()
    {
        var random = new Random(20250107);
        var accepted = 0;
        var keptApart = 0;
        for (var run = 0; run < 50; run++)
        {
            // Arrange: error grows with merged boundaries at random per-boundary costs (some zero or negative), plus
            // noise fixed per partition, so the walk sees both accepted and rejected merges.
            var bins = random.Next(1, 40);
            var cost = Enumerable.Range(0, bins).Select(_ => random.NextDouble() < 0.4 ? 0.0 : (random.NextDouble() - 0.2) * 0.02).ToArray();
            var noiseSeed = random.Next();
            var seen = new HashSet<string>();
            var evaluated = 0;
            ValueTask<double> Error(IReadOnlyList<int> starts, CancellationToken _)
            {
                var key = string.Join(",", starts);
                Assert.True(seen.Add(key), $"partition {key} evaluated twice");
                Assert.Equal(0, starts[0]);
                Assert.True(starts.Zip(starts.Skip(1)).All(p => p.First < p.Second) && starts[^1] < bins);
                evaluated++;
                var removed = Enumerable.Range(0, bins).Where(b => !starts.Contains(b)).Sum(b => cost[b]);
                return ValueTask.FromResult(0.2 + removed + Noise(noiseSeed, starts));
            }

            var steps = new List<MergeStep>();

            // Act
            var result = await MergeSearch.RunAsync(bins, Error, new MergeOptions(), new ListProgress(steps), CancellationToken.None);

            // Assert
            var initial = 0.2 + Noise(noiseSeed, Enumerable.Range(0, bins).ToList());
            Assert.True(result.ValidationError <= initial, $"run {run}: {result.ValidationError} > {initial}");
            Assert.Equal(evaluated, result.Evaluations);
            Assert.True(evaluated <= 2 * bins, $"run {run}: {evaluated} evaluations for {bins} bins");
            Assert.Equal(Enumerable.Range(0, steps.Count).Select(k => bins - 1 - k), steps.Select(s => s.Groups));
            Assert.True(steps.Zip(steps.Skip(1)).All(p => p.Second.ValidationError <= p.First.ValidationError));
            Assert.Equal(result.GroupStarts.Count, steps.Count > 0 ? steps[^1].Groups : bins);
            accepted += steps.Count;
            keptApart += result.GroupStarts.Count - 1;
        }

        // The cases exercise both outcomes, not only one of them.
        Assert.True(accepted > 0 && keptApart > 0, $"accepted {accepted}, boundaries kept {keptApart}");
    }

    [Fact]
    public async Task RunAsync_CancelledDuringEvaluation_StopsBeforeTheNextEvaluation()
    {
        using var cts = new CancellationTokenSource();
        var calls = 0;
        ValueTask<double> Error(IReadOnlyList<int> starts, CancellationToken _)
        {
            if (++calls == 3)
            {
                cts.Cancel();
            }

            return ValueTask.FromResult(1.0 / starts.Count);
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => MergeSearch.RunAsync(50, Error, new MergeOptions(), null, cts.Token));

        Assert.Equal(3, calls);
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(5, -0.1)]
    [InlineData(5, double.NaN)]
    public async Task RunAsync_BadArguments_ThrowInvalidInput(int bins, double tolerance)
    {
        await Assert.ThrowsAsync<InvalidInputException>(() => MergeSearch.RunAsync(
            bins, (_, _) => ValueTask.FromResult(0.0), new MergeOptions(tolerance), null, CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_NaNForOneCandidate_StillTakesTheOther()
    {
        ValueTask<double> Error(IReadOnlyList<int> starts, CancellationToken _) => ValueTask.FromResult(
            starts.Count == 3 ? 0.5 : starts.SequenceEqual([0, 2]) ? double.NaN : 0.4);

        var result = await MergeSearch.RunAsync(3, Error, null, null, CancellationToken.None);

        // (b) at position 1 is taken although (a) was NaN; staying at position 1 then merges the rest.
        Assert.Equal([0], result.GroupStarts);
        Assert.Equal(0.4, result.ValidationError);
    }

    // Deterministic per partition (string.GetHashCode is randomised per process, so it is not used).
    private static double Noise(int seed, IReadOnlyList<int> starts)
    {
        var hash = seed;
        foreach (var s in starts)
        {
            hash = unchecked((hash * 31) + s + 1);
        }

        return new Random(hash).NextDouble() * 0.001;
    }

    // Progress<T> posts to the thread pool; the tests need the steps in order when the call returns.
    private sealed class ListProgress(List<MergeStep> steps) : IProgress<MergeStep>
    {
        public void Report(MergeStep value) => steps.Add(value);
    }
}
