using System.Diagnostics;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Pipeline;

namespace WeightShare.Reproduce;

/// <summary>
/// One run of any codec through the product's pipeline, summarised for the ablation tables: every final solution
/// with its figures, and the smallest file within 0.5 and 1 point of the uploaded model's test accuracy.
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
                f.Files.CheckpointName))
            .OrderBy(r => r.CompressedBytes)
            .ToList();
        SummaryRow? Best(double points) => solutions.Where(r => r.TestLoss >= -points / 100).MaxBy(r => r.FileRatio);
        var best05 = Best(0.5);
        var best1 = Best(1);
        // Keep the checkpoints the tables name (for the check in real PyTorch); the others are as large as the model.
        foreach (var solution in store.Finished.Where(f => f.Files.CheckpointName != best05?.Checkpoint && f.Files.CheckpointName != best1?.Checkpoint))
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
            store.TimeIn(PipelinePhase.Baseline).TotalSeconds,
            store.TimeIn(PipelinePhase.Search).TotalSeconds,
            store.TimeIn(PipelinePhase.Refine).TotalSeconds,
            store.TimeIn(PipelinePhase.Finish).TotalSeconds,
            clock.Elapsed.TotalSeconds,
            solutions,
            best05,
            best1,
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
    string Checkpoint);

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
    double BaselineSeconds,
    double SearchSeconds,
    double RefineSeconds,
    double FinishSeconds,
    double TotalSeconds,
    IReadOnlyList<SummaryRow> Solutions,
    SummaryRow? BestWithinHalfPoint,
    SummaryRow? BestWithinOnePoint,
    [property: System.Text.Json.Serialization.JsonIgnore] IReadOnlyList<int> TestIndices);
