using System.Diagnostics;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Search;

namespace WeightShare.Engine.Compression;

/// <summary>Runs every phase of a compression in one call: baseline, NSGA-II search, merge, finish.</summary>
public static class WeightShareCompressor
{
    /// <summary>
    /// Compresses <paramref name="modelPath"/> against <paramref name="data"/> and writes each final solution's .wsz
    /// file and checkpoint into <paramref name="outputDirectory"/>.
    /// </summary>
    public static async Task<CompressionReport> RunAsync(
        string modelPath,
        LabelledDataset data,
        CompressionOptions options,
        string outputDirectory,
        IProgress<CompressionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(outputDirectory);
        using var session = CompressionSession.Open(modelPath, data, options);
        var clock = Stopwatch.StartNew();

        progress?.Report(new CompressionProgress(CompressionPhase.Baseline, 0, "Measuring the original model"));
        var baseline = session.EvaluateBaseline(cancellationToken);
        var baselineSeconds = Lap(clock);

        var generations = new List<GenerationReport>();
        var result = await session.SearchAsync(
            (report, _, _) =>
            {
                generations.Add(report);
                progress?.Report(new CompressionProgress(
                    CompressionPhase.Search,
                    (double)report.Generation / options.Search.Generations,
                    $"Generation {report.Generation} of {options.Search.Generations}: {report.Front.Count} on the front, hypervolume {report.Hypervolume:F4}"));
                return ValueTask.CompletedTask;
            },
            resumeFrom: null,
            cancellationToken).ConfigureAwait(false);
        var searchSeconds = Lap(clock);

        var baselineError = 1 - baseline.Validation.Of(options.Metric);
        var front = result.Front.Select(i => i.X[0]).Distinct().OrderBy(k => k).ToArray();
        var plans = new List<SolutionPlan>();
        foreach (var k in front)
        {
            var candidate = session.Evaluate(k, cancellationToken);
            var mergeable = options.Merge.Enabled && 1 - candidate.Validation.Of(options.Metric) <= baselineError;
            progress?.Report(new CompressionProgress(CompressionPhase.Merge, (double)plans.Count / front.Length, $"Merging the bins of k = {k}"));
            plans.Add(mergeable ? await session.MergeAsync(k, null, cancellationToken).ConfigureAwait(false) : new SolutionPlan(k, null));
        }
        var mergeSeconds = Lap(clock);

        var solutions = new List<FinishedSolution>();
        foreach (var plan in plans)
        {
            progress?.Report(new CompressionProgress(CompressionPhase.Finish, (double)solutions.Count / plans.Count, $"Encoding k = {plan.K}"));
            var name = plan.Merged ? $"k{plan.K}-merged" : $"k{plan.K}";
            var compressed = Path.Combine(outputDirectory, name + ".wsz");
            var checkpoint = Path.Combine(outputDirectory, name + Path.GetExtension(modelPath));
            solutions.Add(new FinishedSolution(session.Finish(plan, compressed, checkpoint, cancellationToken), compressed, checkpoint));
        }
        var finishSeconds = Lap(clock);

        return new CompressionReport(
            baseline,
            generations,
            solutions,
            session.SharedWeightCount,
            result.EvaluationsComputed,
            result.CacheHits,
            new PhaseTimings(baselineSeconds, searchSeconds, mergeSeconds, finishSeconds));
    }

    private static double Lap(Stopwatch clock)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return seconds;
    }
}
