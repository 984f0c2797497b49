using System.Text.Json;
using WeightShare.Engine.Search;

namespace WeightShare.Engine.Tests.Search;

public class Nsga2Tests
{
    private static readonly Func<int[], CancellationToken, ValueTask<double[]>> Schaffer =
        (x, _) => ValueTask.FromResult(new[] { (double)x[0] * x[0], (double)(x[0] - 2) * (x[0] - 2) });

    // f1 = x, f2 = (10 - x)^2 + y: y only adds cost, so the front is y = 0 for every x in [0, 10].
    private static readonly Func<int[], CancellationToken, ValueTask<double[]>> TwoVariable =
        (x, _) => ValueTask.FromResult(new[] { (double)x[0], ((10.0 - x[0]) * (10.0 - x[0])) + x[1] });

    private static Nsga2Options SchafferOptions(int seed = 1) =>
        new([-1000], [1000]) { Seed = seed, HypervolumeReference = [1e6, 1e6] };

    [Fact]
    public async Task RunAsync_SchafferWithOneInteger_FrontIsExactlyZeroOneTwo()
    {
        var result = await Nsga2.RunAsync(SchafferOptions(), Schaffer, null, null, CancellationToken.None);

        Assert.Equal([0, 1, 2], result.Front.Select(i => i.X[0]).Order());
        Assert.Equal(100, result.Generations);
    }

    [Fact]
    public async Task RunAsync_TwoVariableProblem_FrontIsYZeroForEveryX()
    {
        var options = new Nsga2Options([0, 0], [10, 5]) { Population = 40, Generations = 60, Seed = 3 };

        var result = await Nsga2.RunAsync(options, TwoVariable, null, null, CancellationToken.None);

        var front = result.Front.Select(i => (i.X[0], i.X[1])).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 11).Select(x => (x, 0)), front);
    }

    [Fact]
    public async Task RunAsync_Patience_StopsOnceTheHypervolumeIsFlatForThatManyGenerations()
    {
        // Ten points, all evaluated in generation 1: the front can never grow, so generations 2, 3 and 4 are flat.
        var options = new Nsga2Options([0], [9]) { Population = 10, Generations = 50, HypervolumeReference = [100, 100], Patience = 3 };
        var reports = new List<GenerationReport>();

        var result = await Nsga2.RunAsync(options, Schaffer, (r, _, _) => { reports.Add(r); return ValueTask.CompletedTask; }, null, CancellationToken.None);

        Assert.True(result.StoppedEarly);
        Assert.Equal(4, result.Generations);
        Assert.Equal([1, 2, 3, 4], reports.Select(r => r.Generation));
    }

    [Fact]
    public async Task RunAsync_PatienceResumedMidway_StopsWhereTheStraightRunStops()
    {
        var options = new Nsga2Options([-50, 0], [50, 20]) { Population = 12, Generations = 60, Seed = 5, HypervolumeReference = [1e4, 1e4], Patience = 4 };
        Func<int[], CancellationToken, ValueTask<double[]>> evaluate = (x, _) => ValueTask.FromResult(new[] { (double)x[0] * x[0] + x[1], (double)(x[0] - 2) * (x[0] - 2) + x[1] });
        var straight = await Nsga2.RunAsync(options, evaluate, null, null, CancellationToken.None);
        Nsga2State? saved = null;
        using var stop = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Nsga2.RunAsync(options, evaluate, (r, state, _) =>
        {
            saved = state;
            if (r.Generation == 3)
            {
                stop.Cancel();
            }
            return ValueTask.CompletedTask;
        }, null, stop.Token));
        var resumed = await Nsga2.RunAsync(options, evaluate, null, JsonSerializer.Deserialize<Nsga2State>(JsonSerializer.Serialize(saved)), CancellationToken.None);

        Assert.True(straight.StoppedEarly);
        Assert.Equal(straight.Generations, resumed.Generations);
        Assert.Equal(straight.Front.Select(i => string.Join(",", i.X)), resumed.Front.Select(i => string.Join(",", i.X)));
    }

    [Fact]
    public async Task RunAsync_SeveralVariables_StartCoversEachVariablesRangeWithoutLyingOnOneDiagonal()
    {
        var options = new Nsga2Options([0, 0, 0], [90, 9, 9]) { Population = 10, Generations = 1, Seed = 2 };
        List<Individual>? start = null;

        await Nsga2.RunAsync(options, (x, _) => ValueTask.FromResult(new[] { (double)x[0], (double)x[1] + x[2] }),
            (r, _, _) => { start = r.Population.ToList(); return ValueTask.CompletedTask; }, null, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * 10), start!.Select(i => i.X[0]).Order());
        Assert.Equal(Enumerable.Range(0, 10), start!.Select(i => i.X[1]).Order());
        Assert.Contains(start!, i => i.X[1] * 10 != i.X[0]);
    }

    [Fact]
    public async Task RunAsync_SameSeed_GivesIdenticalReports()
    {
        var first = await CollectReportsAsync(SchafferOptions(seed: 7), Schaffer);
        var second = await CollectReportsAsync(SchafferOptions(seed: 7), Schaffer);

        Assert.Equal(100, first.Count);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task RunAsync_DifferentSeeds_DifferInPathButReachTheSameFront()
    {
        var a = await CollectReportsAsync(SchafferOptions(seed: 7), Schaffer);
        var b = await CollectReportsAsync(SchafferOptions(seed: 8), Schaffer);

        Assert.NotEqual(a, b);
        foreach (var seed in new[] { 2, 8, 12345 })
        {
            var result = await Nsga2.RunAsync(SchafferOptions(seed), Schaffer, null, null, CancellationToken.None);
            Assert.Equal([0, 1, 2], result.Front.Select(i => i.X[0]).Order());
        }
    }

    [Fact]
    public async Task RunAsync_Cache_EvaluatesEachDistinctPointOnceAndCountsHits()
    {
        var calls = new List<int>();
        ValueTask<double[]> Counting(int[] x, CancellationToken ct)
        {
            calls.Add(x[0]);
            return Schaffer(x, ct);
        }

        var reports = new List<GenerationReport>();
        var result = await Nsga2.RunAsync(
            SchafferOptions(),
            Counting,
            (r, _, _) => { reports.Add(r); return ValueTask.CompletedTask; },
            null,
            CancellationToken.None);

        Assert.Equal(calls.Count, calls.Distinct().Count());
        Assert.Equal(calls.Count, result.EvaluationsComputed);
        Assert.True(result.CacheHits > 0, "a 100-generation run on a 1-D space revisits points");
        Assert.Equal(reports.Sum(r => r.Offspring), result.EvaluationsComputed + result.CacheHits);
        Assert.All(reports.Zip(reports.Skip(1)), p => Assert.True(
            p.Second.EvaluationsComputed - p.First.EvaluationsComputed + p.Second.CacheHits - p.First.CacheHits == p.Second.Offspring));
    }

    [Fact]
    public async Task RunAsync_SpaceSmallerThanPopulation_CoversTheWholeSpaceAndTerminates()
    {
        var options = new Nsga2Options([2], [20]) { Population = 100, Generations = 100 };
        var calls = 0;
        ValueTask<double[]> Evaluate(int[] x, CancellationToken _)
        {
            calls++;
            return ValueTask.FromResult(new[] { 1.0 / x[0], (double)x[0] });
        }

        var result = await Nsga2.RunAsync(options, Evaluate, null, null, CancellationToken.None);

        Assert.Equal(Enumerable.Range(2, 19), result.Population.Select(i => i.X[0]).Order());
        Assert.Equal(19, calls);
        Assert.Equal(19, result.Front.Count);
    }

    [Fact]
    public async Task RunAsync_ResumedAfterGeneration3_EqualsTheStraightRun()
    {
        var options = new Nsga2Options([2], [1024]) { Population = 30, Generations = 12, Seed = 5, HypervolumeReference = [1.0, 1024] };
        var straight = await CollectReportsAsync(options, Accuracyish);

        var interrupted = new List<string>();
        string? savedState = null;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Nsga2.RunAsync(
            options,
            Accuracyish,
            (report, state, _) =>
            {
                interrupted.Add(JsonSerializer.Serialize(report));
                if (report.Generation == 3)
                {
                    savedState = JsonSerializer.Serialize(state);
                    throw new OperationCanceledException();
                }

                return ValueTask.CompletedTask;
            },
            null,
            CancellationToken.None));
        var resumedReports = new List<string>();
        var resumed = await Nsga2.RunAsync(
            options,
            Accuracyish,
            (report, _, _) => { resumedReports.Add(JsonSerializer.Serialize(report)); return ValueTask.CompletedTask; },
            JsonSerializer.Deserialize<Nsga2State>(savedState!),
            CancellationToken.None);

        Assert.Equal(3, interrupted.Count);
        Assert.Equal(straight, interrupted.Concat(resumedReports).ToList());
        Assert.Equal(12, resumed.Generations);
        Assert.Equal(JsonSerializer.Serialize(JsonSerializer.Deserialize<GenerationReport>(straight[^1])!.Front), JsonSerializer.Serialize(resumed.Front));
    }

    [Fact]
    public async Task RunAsync_CancelledDuringEvaluation_StopsBeforeTheNextEvaluation()
    {
        using var cts = new CancellationTokenSource();
        var calls = 0;
        ValueTask<double[]> Evaluate(int[] x, CancellationToken ct)
        {
            if (++calls == 5)
            {
                cts.Cancel();
            }

            return Schaffer(x, ct);
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Nsga2.RunAsync(SchafferOptions(), Evaluate, null, null, cts.Token));

        Assert.Equal(5, calls);
    }

    [Fact]
    public async Task State_JsonRoundTrip_KeepsEveryField()
    {
        Nsga2State? state = null;
        var options = SchafferOptions() with { Generations = 2 };
        await Nsga2.RunAsync(options, Schaffer, (_, s, _) => { state = s; return ValueTask.CompletedTask; }, null, CancellationToken.None);

        var json = JsonSerializer.Serialize(state);
        var back = JsonSerializer.Deserialize<Nsga2State>(json)!;

        Assert.Equal(json, JsonSerializer.Serialize(back));
        Assert.Equal(state!.Generation, back.Generation);
        Assert.Equal(state.RandomState, back.RandomState);
        Assert.Equal(state.EvaluationsComputed, back.EvaluationsComputed);
        Assert.Equal(state.CacheHits, back.CacheHits);
        Assert.Equal(state.Population.Select(m => (m.X[0], m.F[0], m.F[1], m.Rank, m.CrowdingDistance)),
            back.Population.Select(m => (m.X[0], m.F[0], m.F[1], m.Rank, m.CrowdingDistance)));
        Assert.Contains(back.Population, m => double.IsPositiveInfinity(m.CrowdingDistance));
        Assert.Equal(state.Cache.Select(e => (e.X[0], e.F[0], e.F[1])), back.Cache.Select(e => (e.X[0], e.F[0], e.F[1])));
    }

    [Fact]
    public async Task RunAsync_ProductShape_ReportsHypervolumeOfEveryPointFoundSoFar()
    {
        // NSGA-II is not hypervolume-monotone (crowding may drop front members), so the report measures every point
        // evaluated so far (the state's cache) instead of the population's front.
        var options = new Nsga2Options([2], [1024]) { Population = 40, Generations = 20, HypervolumeReference = [1.0, 1024] };
        var reports = new List<(GenerationReport Report, Nsga2State State)>();

        await Nsga2.RunAsync(options, Accuracyish, (r, s, _) => { reports.Add((r, s)); return ValueTask.CompletedTask; }, null, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 20), reports.Select(r => r.Report.Generation));
        Assert.All(reports, r =>
        {
            Assert.Equal(Hypervolume.Compute2D(r.State.Cache.Select(i => (i.F[0], i.F[1])), (1.0, 1024.0)), r.Report.Hypervolume!.Value, 9);
            Assert.True(r.Report.Hypervolume >= Hypervolume.Compute2D(r.Report.Front.Select(i => (i.F[0], i.F[1])), (1.0, 1024.0)) - 1e-9);
            Assert.Equal(r.Report.Front.Select(i => i.F[1]).Order(), r.Report.Front.Select(i => i.F[1]));
            Assert.All(r.Report.Front, i => Assert.DoesNotContain(r.Report.Population, p => p.F[0] <= i.F[0] && p.F[1] <= i.F[1] && (p.F[0] < i.F[0] || p.F[1] < i.F[1])));
        });
        var areas = reports.Select(r => r.Report.Hypervolume!.Value).ToList();
        Assert.All(areas.Zip(areas.Skip(1)), pair => Assert.True(pair.Second >= pair.First));
        Assert.True(areas[^1] > areas[0]);
    }

    [Fact]
    public async Task RunAsync_NoReference_ReportsNoHypervolume()
    {
        var reports = await CollectReportObjectsAsync(SchafferOptions() with { Generations = 2, HypervolumeReference = null }, Schaffer);

        Assert.All(reports, r => Assert.Null(r.Hypervolume));
    }

    [Theory]
    [InlineData(new[] { 5 }, new[] { 4 })]
    [InlineData(new[] { 1, 2 }, new[] { 3 })]
    [InlineData(new int[0], new int[0])]
    public async Task RunAsync_BadBounds_ThrowsInvalidInput(int[] lower, int[] upper)
    {
        await Assert.ThrowsAsync<InvalidInputException>(
            () => Nsga2.RunAsync(new Nsga2Options(lower, upper), Schaffer, null, null, CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_StateOutsideBounds_ThrowsInvalidInput()
    {
        var state = new Nsga2State(2, [new Nsga2Member([5000], [1, 2], 0, 1)], [1, 2, 3, 4], [], 1, 0);

        await Assert.ThrowsAsync<InvalidInputException>(
            () => Nsga2.RunAsync(SchafferOptions(), Schaffer, null, state, CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_EvaluatorChangesObjectiveCount_ThrowsInvalidOperation()
    {
        ValueTask<double[]> Evaluate(int[] x, CancellationToken _) =>
            ValueTask.FromResult(x[0] == 0 ? new[] { 1.0, 2.0, 3.0 } : new[] { 1.0, 2.0 });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Nsga2.RunAsync(new Nsga2Options([0], [10]), Evaluate, null, null, CancellationToken.None));

        Assert.Contains("objectives", error.Message);
    }

    [Fact]
    public async Task RunAsync_InfiniteObjectiveAndThreeObjectives_StateStillRoundTripsAndFrontIsNonDominated()
    {
        // A failed evaluation reported as +infinity must not break persistence; three objectives exercise M > 2.
        ValueTask<double[]> Evaluate(int[] x, CancellationToken _) => ValueTask.FromResult(
            x[0] == 7 ? new[] { double.PositiveInfinity, 0.0, 0.0 } : new[] { (double)x[0], 20.0 - x[0], Math.Abs(10.0 - x[0]) });
        Nsga2State? last = null;

        var result = await Nsga2.RunAsync(
            new Nsga2Options([0], [20]) { Population = 10, Generations = 5, HypervolumeReference = [100, 100] },
            Evaluate,
            (_, s, _) => { last = s; return ValueTask.CompletedTask; },
            null,
            CancellationToken.None);
        var back = JsonSerializer.Deserialize<Nsga2State>(JsonSerializer.Serialize(last))!;

        Assert.Contains(back.Cache, e => double.IsPositiveInfinity(e.F[0]));
        Assert.All(result.Front, i => Assert.DoesNotContain(result.Population, p =>
            p.F.Zip(i.F).All(t => t.First <= t.Second) && p.F.Zip(i.F).Any(t => t.First < t.Second)));
    }

    // Shaped like the product: error falls as k grows, with bumps, and f2 is the number of values used.
    private static ValueTask<double[]> Accuracyish(int[] x, CancellationToken _)
    {
        var k = x[0];
        var error = (0.9 / k) + (0.01 * Math.Abs(Math.Sin(k * 0.7)));
        return ValueTask.FromResult(new[] { error, (double)(k - (k / 10)) });
    }

    private static async Task<List<string>> CollectReportsAsync(
        Nsga2Options options, Func<int[], CancellationToken, ValueTask<double[]>> evaluate) =>
        (await CollectReportObjectsAsync(options, evaluate)).Select(r => JsonSerializer.Serialize(r)).ToList();

    private static async Task<List<GenerationReport>> CollectReportObjectsAsync(
        Nsga2Options options, Func<int[], CancellationToken, ValueTask<double[]>> evaluate)
    {
        var reports = new List<GenerationReport>();
        await Nsga2.RunAsync(
            options,
            evaluate,
            (r, _, _) => { reports.Add(r); return ValueTask.CompletedTask; },
            null,
            CancellationToken.None);
        return reports;
    }
}
