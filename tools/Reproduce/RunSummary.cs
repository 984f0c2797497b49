using System.Diagnostics;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Pipeline;

namespace WeightShare.Reproduce;

/// <summary>
/// One run of any codec through the product's pipeline, summarised for the ablation tables: every final solution
/// with its figures, the run's recommended solution (chosen on validation, as the product chooses it), and, as an
/// oracle for the tables only, the smallest file within 0.5 and 1 point of the uploaded model's test accuracy.
/// </summary>
public static class RunSummary
{
    public static async Task<SummaryReport> RunAsync(ExperimentOptions options, IProgress<string> log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var data = options.Preprocessing.Apply(DatasetReader.Read(options.Data));
        var files = Path.Combine(options.Output, "files");
        if (Directory.Exists(files))
        {
            Directory.Delete(files, recursive: true);
        }
        using var session = CompressionSession.Open(options.Model, data, options.Compression);
        var store = new InMemoryRunStore(files);
        var progress = new LineLog(p =>
        {
            if (p.Refine is null && (p.PhaseEnd || p.Phase != PipelinePhase.Search || p.Message.EndsWith("0 of " + options.Compression.Search.Generations, StringComparison.Ordinal)))
            {
                log.Report($"{options.Name}: {p.Message}");
            }
        });
        await new CompressionPipeline(session, store, progress).RunAsync(cancellationToken);
        var baseline = store.Baseline!;
        var solutions = store.Finished
            .Select(f => new SummaryRow(
                f.Figures.Description,
                f.Solution.Parameters,
                f.Solution.Plan.IsRefined,
                f.Figures.SharedValues,
                f.Figures.ValidationAccuracy,
                f.Figures.TestAccuracy,
                f.Figures.TestAccuracy - baseline.Test.Accuracy,
                f.Figures.BitsPerWeight,
                f.Figures.CompressedBytes,
                f.Figures.FileCompressionRatio,
                f.Files.CompressedName,
                f.Files.CheckpointName)
            {
                ValidationLossUpper = f.Figures.ValidationLoss?.Upper,
            })
            .OrderBy(r => r.CompressedBytes)
            .ToList();
        SummaryRow? Best(double points) => solutions.Where(r => r.TestLoss >= -points / 100).MaxBy(r => r.FileRatio);
        var best05 = Best(0.5);
        var best1 = Best(1);
        var tolerance = Recommendation.Tolerance(options.Compression.Calibration.TargetLoss);
        var recommendedIndex = Recommendation.Choose(store.Finished.Select(f => ((long?)f.Figures.CompressedBytes, f.Figures.ValidationLoss)).ToList(), tolerance);
        var recommended = recommendedIndex is { } index ? solutions.Single(r => r.Checkpoint == store.Finished[index].Files.CheckpointName) : null;
        // Keep the checkpoints the tables name (for the check in real PyTorch); the others are as large as the model.
        var kept = new[] { best05?.Checkpoint, best1?.Checkpoint, recommended?.Checkpoint };
        foreach (var solution in store.Finished.Where(f => !kept.Contains(f.Files.CheckpointName)))
        {
            File.Delete(solution.Files.CheckpointPath);
        }
        var last = store.LastState!;
        return new SummaryReport(
            options.Name,
            Path.GetFileName(options.Model),
            new FileInfo(options.Model).Length,
            session.SharedWeightCount,
            session.ValidationCount,
            session.CalibrationCount,
            session.TestCount,
            options.Compression,
            session.Objective.ToString(),
            session.Patience,
            baseline.Validation.Accuracy,
            baseline.Test.Accuracy,
            store.Generations.Count,
            last.EvaluationsComputed,
            last.CacheHits,
            store.Generations.Count > 0 ? store.Generations[^1].RacedEvaluations : 0,
            store.Generations.Count > 0 ? store.Generations[^1].Racing.Sum(e => (long)e.Samples) : (long)last.EvaluationsComputed * session.ValidationCount,
            store.TimeIn(PipelinePhase.Baseline).TotalSeconds,
            store.TimeIn(PipelinePhase.Search).TotalSeconds,
            store.TimeIn(PipelinePhase.Refine).TotalSeconds,
            store.TimeIn(PipelinePhase.Finish).TotalSeconds,
            clock.Elapsed.TotalSeconds,
            solutions,
            best05,
            best1,
            tolerance,
            recommended,
            session.TestIndices);
    }

    private sealed class LineLog(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => report(value);
    }
}

/// <summary>One final solution of a summarised run.</summary>
public sealed record SummaryRow(
    string Description,
    IReadOnlyDictionary<string, int> Parameters,
    bool Refined,
    int SharedValues,
    double ValidationAccuracy,
    double TestAccuracy,
    double TestLoss,
    double BitsPerWeight,
    long CompressedBytes,
    double FileRatio,
    string Compressed,
    string Checkpoint)
{
    /// <summary>The upper end of the 95 % interval of its validation loss against the uploaded model (what the recommendation reads).</summary>
    public double? ValidationLossUpper { get; init; }
}

/// <summary>Everything a summarised run measured.</summary>
public sealed record SummaryReport(
    string Name,
    string Model,
    long ModelBytes,
    long SharedWeights,
    int ValidationSamples,
    int CalibrationSamples,
    int TestSamples,
    object Settings,
    string Objective,
    int Patience,
    double BaselineValidationAccuracy,
    double BaselineTestAccuracy,
    int GenerationsRun,
    int EvaluationsComputed,
    int CacheHits,
    int RacedEvaluations,
    long ValidationSamplesEvaluated,
    double BaselineSeconds,
    double SearchSeconds,
    double RefineSeconds,
    double FinishSeconds,
    double TotalSeconds,
    IReadOnlyList<SummaryRow> Solutions,
    SummaryRow? BestWithinHalfPoint,
    SummaryRow? BestWithinOnePoint,
    double RecommendationTolerance,
    SummaryRow? Recommended,
    [property: System.Text.Json.Serialization.JsonIgnore] IReadOnlyList<int> TestIndices);
