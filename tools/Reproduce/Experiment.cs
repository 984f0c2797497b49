using System.Diagnostics;
using System.Text.Json;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Search;

namespace WeightShare.Reproduce;

/// <summary>The paper's Table I experiment (design.md) run with the product's engine.</summary>
public static class Experiment
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<ExperimentReport> RunAsync(ExperimentOptions options, IProgress<string> log, CancellationToken cancellationToken)
    {
        var data = options.Preprocessing.Apply(DatasetReader.Read(options.Data));
        var files = Path.Combine(options.Output, "files");
        Directory.CreateDirectory(files);
        using var session = CompressionSession.Open(options.Model, data, options.Compression);
        var clock = Stopwatch.StartNew();
        var baseline = session.EvaluateBaseline(cancellationToken);
        var baselineSeconds = Lap(clock);
        log.Report($"{options.Name}: baseline validation {baseline.Validation.Accuracy:P2}, test {baseline.Test.Accuracy:P2}, {session.SharedWeightCount} shared weights");

        var generations = new List<GenerationRow>();
        var result = await session.SearchAsync(
            (report, _, _) =>
            {
                generations.Add(new GenerationRow(report.Generation, report.Hypervolume, report.EvaluationsComputed, report.CacheHits, Points(report.Front)));
                log.Report($"generation {report.Generation}: front {report.Front.Count}, hypervolume {report.Hypervolume:F4}, evaluations {report.EvaluationsComputed}, cache hits {report.CacheHits}");
                return ValueTask.CompletedTask;
            },
            null,
            cancellationToken);
        var searchSeconds = Lap(clock);

        // The paper reports the front solutions that keep the original's validation accuracy; when none does, the
        // five most accurate stand in, and the table says so.
        var front = result.Front.Select(i => session.Evaluate(i.X[0], cancellationToken)).DistinctBy(c => c.K).ToList();
        var keeping = front.Where(c => c.Validation.Accuracy >= baseline.Validation.Accuracy).OrderBy(c => c.K).ToList();
        var selection = keeping.Count > 0 ? "front solutions with validation accuracy >= the original's" : "the five most accurate front solutions (none kept the original's validation accuracy)";
        var chosen = keeping.Count > 0 ? keeping : front.OrderByDescending(c => c.Validation.Accuracy).Take(5).OrderBy(c => c.K).ToList();

        var plans = new List<SolutionPlan>();
        foreach (var candidate in chosen)
        {
            log.Report($"merging k = {candidate.K} ({candidate.SharedValues} values)");
            plans.Add(await session.MergeAsync(candidate.K, null, cancellationToken));
        }
        var mergeSeconds = Lap(clock);

        SolutionRow Finish(SolutionPlan plan)
        {
            var name = Path.Combine(files, $"k{plan.K}{(plan.Merged ? "-merged" : "")}");
            var figures = session.Finish(plan, name + ".wsz", name + Path.GetExtension(options.Model), cancellationToken);
            File.Delete(name + Path.GetExtension(options.Model));
            return new SolutionRow(figures.K, figures.SharedValues, figures.Merged, figures.ValidationAccuracy, figures.TestAccuracy,
                Math.Ceiling(Math.Log2(Math.Max(2, figures.SharedValues))), figures.BitsPerWeight, figures.CompressedBytes, figures.FileCompressionRatio);
        }

        var frontRows = chosen.Select(c => Finish(new SolutionPlan(c.K, null))).ToList();
        var mergedRows = plans.Select(Finish).ToList();
        var randomK = new Random(options.Compression.Search.Seed).Next(options.Compression.Search.KMin, options.Compression.Search.KMax + 1);
        var randomRow = Finish(new SolutionPlan(randomK, null));
        var finishSeconds = Lap(clock);

        var evaluated = session.Evaluated.Select(c => new PointRow(c.K, c.SharedValues, c.Validation.Accuracy)).OrderBy(p => p.K).ToList();

        return new ExperimentReport(
            options.Name,
            Path.GetFileName(options.Model),
            new FileInfo(options.Model).Length,
            session.SharedWeightCount,
            session.ValidationCount,
            session.TestCount,
            options.Compression,
            baseline.Validation.Accuracy,
            baseline.Test.Accuracy,
            randomRow,
            frontRows,
            mergedRows,
            evaluated,
            generations,
            result.EvaluationsComputed,
            result.CacheHits,
            baselineSeconds,
            searchSeconds,
            mergeSeconds,
            finishSeconds,
            selection);
    }

    private static List<PointRow> Points(IEnumerable<Individual> individuals) =>
        individuals.Select(i => new PointRow(i.X[0], (int)i.F[1], 1 - i.F[0])).ToList();

    private static double Lap(Stopwatch clock)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return seconds;
    }
}
