using System.Globalization;
using Microsoft.AspNetCore.Components;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Metrics;
using WeightShare.Web.Api;
using WeightShare.Web.Components.Charts;
using WeightShare.Web.Components.Shared;

namespace WeightShare.Web.Components.Pages.Run;

/// <summary>
/// The final front, one row per solution, narrow enough for a 1280 px window: the shared values and the size figures
/// sit under the solution and the file size, the checkpoint download is an icon.
/// </summary>
public partial class SolutionsTable
{
    [Inject] private CodecRegistry Codecs { get; set; } = default!;

    [Parameter, EditorRequired] public IReadOnlyList<SolutionInfo> Solutions { get; set; } = [];

    /// <summary>The uploaded model's bytes, which a checkpoint download nearly equals.</summary>
    [Parameter] public long? ModelBytes { get; set; }

    [Parameter] public double? BaselineTestAccuracy { get; set; }

    /// <summary>True for a data-free run: one column, the weights' signal-to-noise ratio, instead of validation and test.</summary>
    [Parameter] public bool DataFree { get; set; }

    /// <summary>The run's metric: its figures are shown in % or, for signal-to-noise ratios, in dB.</summary>
    [Parameter] public MetricDefinition Metric { get; set; } = new AccuracyMetric();

    /// <summary>The codec's word for a refined solution ("merged" for the paper codec).</summary>
    private string RefinementLabel(string codec) => Codecs.RefinementLabel(codec);

    /// <summary>The solution's genes as the Pareto chart labels its points: the key that links a row to its marker.</summary>
    private static string Label(SolutionInfo solution) => ParetoPlot.Label(solution.Parameters);

    private string CheckpointNote =>
        $"Checkpoint: the model in its uploaded format with the shared weights in place, for your framework to load: full precision, so about as large as the upload{(ModelBytes is { } bytes ? $" ({Format.Bytes(bytes)})" : "")}. The .wsz is the small file.";

    private string Figure(double? value) => value is { } v && Metric.IsDecibels ? Metric.Format(v) : Format.Percent(value);

    private string ValidationHelp => Metric.IsDecibels
        ? "The run's validation metric on the split the search used; below it, its 95 % interval (a ratio in dB has no loss against the uploaded model, so no solution is recommended: choose by the interval)"
        : "The run's validation metric on the split the search used; below it, the loss against the uploaded model with its 95 % interval";

    private string TestHelp => Metric.TestHelp + (Metric.IsDecibels ? "; below it, its 95 % interval" : "; below it, the loss against the uploaded model with its 95 % interval")
        + " (the test split only reports: nothing is chosen by it)";

    private string BelowBaselineHelp =>
        $"more than one point below the uploaded model's test figure ({Figure(BaselineTestAccuracy)}).";

    // The loss against the uploaded model in points, with its 95 % interval: "-0.40 pt [-0.90, +0.10]" (negative is a gain).
    private static string Loss(LossInterval loss) => string.Create(CultureInfo.InvariantCulture,
        $"{-100 * loss.Loss:+0.00;-0.00;0.00} pt [{-100 * loss.Upper:+0.00;-0.00;0.00}, {-100 * loss.Lower:+0.00;-0.00;0.00}]");

    // The metric's own 95 % interval in its display unit: "95 %: 22.9 to 23.9 dB".
    private string Interval(MetricInterval interval) => string.Create(CultureInfo.InvariantCulture,
        $"95 %: {Metric.ToDisplay(interval.Lower).ToString(Metric.IsDecibels ? "0.0" : "0.00", CultureInfo.InvariantCulture)} to {Metric.ToDisplay(interval.Upper).ToString(Metric.IsDecibels ? "0.0" : "0.00", CultureInfo.InvariantCulture)} {Metric.UnitSymbol}");

    /// <summary>The run's recommended solution: chosen on validation intervals (the API's recommendedSolutionId), never by the test split.</summary>
    private string? RecommendedId => Solutions.FirstOrDefault(s => s.Recommended)?.Id;

    private bool BelowBaseline(SolutionInfo solution) =>
        solution.TestAccuracy is { } test && BaselineTestAccuracy is { } baseline && test < baseline - 0.01;
}
