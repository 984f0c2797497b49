using System.Text.Json;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Pipeline;
using WeightShare.Engine.Search;

namespace WeightShare.Reproduce;

/// <summary>
/// The paper's Table I experiment (docs/results.md): the product's own pipeline over an in-memory store, then the figures
/// the table needs beyond the product's solutions (the front before merging, and one random k).
/// </summary>
public static class Experiment
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<ExperimentReport> RunAsync(ExperimentOptions options, IProgress<string> log, CancellationToken cancellationToken)
    {
        var data = options.Preprocessing.Apply(DatasetReader.Read(options.Data));
        var files = Path.Combine(options.Output, "files");
        using var session = CompressionSession.Open(options.Model, data, options.Compression);
        var store = new InMemoryRunStore(files);
        var progress = new LineLog(p =>
        {
            if (p.Refine is null && (p.PhaseEnd || p.Phase == PipelinePhase.Search))
            {
                log.Report($"{options.Name}: {p.Message}");
            }
        });
        await new CompressionPipeline(session, store, progress).RunAsync(cancellationToken);
        var baseline = store.Baseline!;
        var last = store.LastState!;
        log.Report($"{options.Name}: baseline validation {baseline.Validation.Accuracy:P2}, test {baseline.Test.Accuracy:P2}, {session.SharedWeightCount} shared weights");

        // The paper reports the front solutions that keep the original's validation accuracy (the ones the pipeline
        // merged); when none does, the five most accurate stand in, merged here, and the table says so.
        var front = FrontSelection.Front(last);
        var keeping = front.Where(p => FrontSelection.IsRefined(p, session.Metric.ValueOf(baseline.Validation))).ToList();
        var selection = keeping.Count > 0 ? "front solutions with validation accuracy >= the original's" : "the five most accurate front solutions (none kept the original's validation accuracy)";
        var chosen = keeping.Count > 0 ? keeping : front.OrderBy(p => p.F[0]).Take(5).OrderBy(p => p.X[0]).ToList();

        var scratch = Path.Combine(options.Output, "scratch");
        Directory.CreateDirectory(scratch);
        SolutionRow Finish(SolutionPlan plan)
        {
            var name = Path.Combine(scratch, $"k{plan.Genes[0]}{(plan.IsRefined ? "-merged" : "")}");
            var figures = session.Finish(plan, name + ".wsz", name + Path.GetExtension(options.Model), cancellationToken);
            File.Delete(name + Path.GetExtension(options.Model));
            return Row(plan, figures);
        }

        var mergedRows = new List<SolutionRow>();
        foreach (var point in chosen)
        {
            var finished = store.Finished.SingleOrDefault(f => f.Solution.Plan.Genes.SequenceEqual(point.X));
            if (finished is not null && keeping.Count > 0)
            {
                mergedRows.Add(Row(finished.Solution.Plan, finished.Figures));
                continue;
            }
            var refinement = await session.RefineAsync(new SolutionPlan(point.X), null, cancellationToken);
            mergedRows.Add(Finish(refinement?.Plan ?? new SolutionPlan(point.X)));
        }
        var frontRows = chosen.Select(p => Finish(new SolutionPlan(p.X))).ToList();
        var randomK = new Random(options.Compression.Search.Seed).Next(options.Compression.Search.KMin, options.Compression.Search.KMax + 1);
        var randomRow = Finish(new SolutionPlan([randomK]));
        // The product's checkpoints are as large as the model; the table needs only their figures.
        foreach (var solution in store.Finished)
        {
            File.Delete(solution.Files.CheckpointPath);
        }

        var evaluated = last.Cache.Select(i => new PointRow(i.X[0], (int)i.F[1], 1 - i.F[0])).OrderBy(p => p.K).ToList();
        var generations = store.Generations
            .Select(g => new GenerationRow(g.Generation, g.Hypervolume, g.Evaluations, g.CacheHits, g.Front.Select(p => new PointRow(p.Genes[0], p.SharedValues, p.ValidationMetric)).ToList()))
            .ToList();

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
            last.EvaluationsComputed,
            last.CacheHits,
            store.TimeIn(PipelinePhase.Baseline).TotalSeconds,
            store.TimeIn(PipelinePhase.Search).TotalSeconds,
            store.TimeIn(PipelinePhase.Refine).TotalSeconds,
            store.TimeIn(PipelinePhase.Finish).TotalSeconds,
            selection);
    }

    private static SolutionRow Row(SolutionPlan plan, SolutionFigures figures) => new(
        plan.Genes[0],
        figures.SharedValues,
        plan.IsRefined,
        figures.ValidationAccuracy,
        figures.TestAccuracy,
        Math.Ceiling(Math.Log2(Math.Max(2, figures.SharedValues))),
        figures.BitsPerWeight,
        figures.CompressedBytes,
        figures.FileCompressionRatio);

    private sealed class LineLog(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => report(value);
    }
}
