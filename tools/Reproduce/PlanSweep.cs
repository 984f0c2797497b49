using System.Diagnostics;
using System.Globalization;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;

namespace WeightShare.Reproduce;

/// <summary>
/// Chosen points of a codec's space, each quantized, refined (calibrated or fine-tuned, as the codec refines) and
/// finished on the test split, with the time each step took: for codecs whose evaluation is too costly for a search
/// on a large model, the honest smaller space of docs/results.md.
/// </summary>
public static class PlanSweep
{
    public static PlanSweepReport Run(ExperimentOptions options, IReadOnlyList<int[]> plans, IProgress<string> log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var data = options.Preprocessing.Apply(DatasetReader.Read(options.Data));
        var files = Path.Combine(options.Output, "files");
        Directory.CreateDirectory(files);
        using var session = CompressionSession.Open(options.Model, data, options.Compression);
        var baseline = session.EvaluateBaseline(cancellationToken);
        log.Report(string.Create(CultureInfo.InvariantCulture, $"{options.Name}: baseline validation {baseline.Validation.Accuracy:P2}, test {baseline.Test.Accuracy:P2}"));
        var rows = new List<PlanSweepRow>();
        foreach (var genes in plans)
        {
            var plan = new SolutionPlan(genes);
            var lap = Stopwatch.StartNew();
            var quantization = session.Quantize(plan);
            var fitSeconds = lap.Elapsed.TotalSeconds;
            var before = session.Evaluate(quantization, cancellationToken).Accuracy;
            var name = string.Join('-', genes);
            var (untuned, _) = Finish(session, plan, files, name, baseline.Test.Accuracy, fitSeconds, 0, before, cancellationToken);
            rows.Add(untuned);
            log.Report($"{options.Name}: {untuned}");
            lap.Restart();
            var status = new Progress<string>(line =>
            {
                if (!line.Contains(" step ", StringComparison.Ordinal) || line.EndsWith("0 of " + options.Compression.Calibration.Steps, StringComparison.Ordinal))
                {
                    log.Report($"{options.Name}: {name}: {line}");
                }
            });
            if (session.RefineAsync(plan, null, cancellationToken, status).GetAwaiter().GetResult() is { } refinement && refinement.Plan.IsRefined)
            {
                var tuneSeconds = lap.Elapsed.TotalSeconds;
                var (tuned, _) = Finish(session, refinement.Plan, files, name + "-" + session.Codec.RefinementLabel, baseline.Test.Accuracy, fitSeconds, tuneSeconds, before, cancellationToken);
                rows.Add(tuned);
                log.Report($"{options.Name}: {tuned}");
            }
        }
        return new PlanSweepReport(options.Name, Path.GetFileName(options.Model), new FileInfo(options.Model).Length, session.SharedWeightCount,
            session.ValidationCount, session.CalibrationCount, session.TestCount, options.Compression, baseline.Validation.Accuracy, baseline.Test.Accuracy,
            rows, clock.Elapsed.TotalSeconds, session.TestIndices);
    }

    private static (PlanSweepRow Row, string Checkpoint) Finish(CompressionSession session, SolutionPlan plan, string files, string name, double baselineTest,
        double fitSeconds, double tuneSeconds, double validationBefore, CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(session.ModelFileName);
        var checkpoint = name + extension;
        var figures = session.Finish(plan, Path.Combine(files, name + ".wsz"), Path.Combine(files, checkpoint), cancellationToken);
        var codebookBytes = session.Quantize(plan).SharedValues * (plan.Genes.Count == 3 ? plan.Genes[0] : 1) * 4L;
        return (new PlanSweepRow(figures.Description, plan.Parameters(session.Genes), plan.IsRefined, fitSeconds, tuneSeconds, validationBefore,
            figures.ValidationAccuracy, figures.TestAccuracy, figures.TestAccuracy - baselineTest, figures.BitsPerWeight, codebookBytes,
            figures.CompressedBytes, figures.FileCompressionRatio, name + ".wsz", checkpoint), checkpoint);
    }
}

/// <summary>One point of a sweep, before or after its refinement.</summary>
public sealed record PlanSweepRow(
    string Description,
    IReadOnlyDictionary<string, int> Parameters,
    bool Refined,
    double FitSeconds,
    double TuneSeconds,
    double ValidationBefore,
    double ValidationAccuracy,
    double TestAccuracy,
    double TestLoss,
    double BitsPerWeight,
    long CodebookBytes,
    long CompressedBytes,
    double FileRatio,
    string Compressed,
    string Checkpoint)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Description}: fit {FitSeconds:F1} s, tune {TuneSeconds:F1} s, validation {ValidationAccuracy:P2}, test {TestAccuracy:P2} ({100 * TestLoss:+0.00;-0.00} pt), {BitsPerWeight:F3} bits/weight, {CompressedBytes} bytes, {FileRatio:F2}x");
}

/// <summary>What a sweep measured.</summary>
public sealed record PlanSweepReport(
    string Name,
    string Model,
    long ModelBytes,
    long SharedWeights,
    int ValidationSamples,
    int CalibrationSamples,
    int TestSamples,
    object Settings,
    double BaselineValidationAccuracy,
    double BaselineTestAccuracy,
    IReadOnlyList<PlanSweepRow> Rows,
    double TotalSeconds,
    [property: System.Text.Json.Serialization.JsonIgnore] IReadOnlyList<int> TestIndices);
