using System.Text.Json;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Metrics;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Data;

namespace WeightShare.Web.Api;

/// <summary>
/// One solution of the final front (api.md Solution). <see cref="Codec"/> made it; <see cref="Parameters"/> holds the
/// codec's genes by name. <see cref="ValidationMetric"/> is the run's metric (accuracy or macro-F1);
/// <see cref="ValidationAccuracy"/> is top-1 accuracy once the solution is finished (the metric before, as earlier
/// releases had it). Figures are null while the run is still finishing it;
/// <see cref="Ready"/> says when both files can be downloaded. <see cref="Dominated"/> marks a solution that another
/// one beats in real units once every file is written (no larger .wsz at a higher or equal validation metric, better in
/// one); <see cref="AtChanceLevel"/> marks one that guesses no better than chance.
/// </summary>
public sealed record SolutionInfo(
    string Id,
    string Codec,
    IReadOnlyDictionary<string, int> Parameters,
    string Description,
    int SharedValues,
    double ValidationMetric,
    double ValidationAccuracy,
    double? TestAccuracy,
    double? BitsPerWeight,
    long? CompressedBytes,
    double? FileCompressionRatio,
    double? PaperCompressionRatio,
    bool Merged,
    bool Ready)
{
    public bool Dominated { get; init; }

    /// <summary>What the solution loses against the uploaded model on the validation split (0.01 = one point), with its 95 % interval; null until finished, and in runs whose metric pairs no outcomes.</summary>
    public LossInterval? ValidationLoss { get; init; }

    /// <summary>The same on the test split, which only reports: nothing is chosen by it.</summary>
    public LossInterval? TestLoss { get; init; }

    /// <summary>
    /// The run's metric on the validation split with its 95 % interval, in the metric's units (output SNR: dB / 100), for
    /// metrics without a loss interval (outputFidelity); null until finished and in runs of other metrics. The
    /// recommendation reads loss intervals only, so such a run recommends nothing.
    /// </summary>
    public MetricInterval? ValidationInterval { get; init; }

    /// <summary>The same on the test split, which only reports.</summary>
    public MetricInterval? TestInterval { get; init; }

    /// <summary>True for the run's recommended solution (<see cref="Recommendation"/>: chosen on validation intervals alone).</summary>
    public bool Recommended { get; init; }

    /// <summary>
    /// In a run whose metric is a signal-to-noise ratio, the ratio in dB (at most 100, lossless): the shared weights'
    /// against the uploaded ones (weightSnr, data-free) or the outputs' on the test split (outputFidelity); the metric
    /// fields then hold it / 100 dB. Null in runs of other metrics.
    /// </summary>
    public double? SnrDb { get; init; }

    /// <summary>This solution with <see cref="SnrDb"/> read off its metric (a run in dB).</summary>
    public SolutionInfo WithDecibels() => this with { SnrDb = WeightFidelity.ToDecibels(TestAccuracy ?? ValidationMetric) };

    /// <summary>
    /// True when the solution's validation accuracy is hardly above what guessing reaches (see
    /// <see cref="IsChanceLevel"/>): a file nobody should ship. Decided on validation like every mark that advises a
    /// choice; the test split only reports.
    /// </summary>
    public bool AtChanceLevel { get; init; }

    /// <summary>
    /// Marks each solution that another in the list dominates: by .wsz bytes once every solution's file is written
    /// (whatever the search minimised: bytes are what a user pays), by shared values before. Where both have validation
    /// intervals, only a difference beyond the noise counts (<see cref="Recommendation.DominatesBeyondNoise"/>).
    /// </summary>
    public static IReadOnlyList<SolutionInfo> MarkDominated(IReadOnlyList<SolutionInfo> solutions)
    {
        ArgumentNullException.ThrowIfNull(solutions);
        var bytes = solutions.All(s => s.CompressedBytes is not null);
        double Size(SolutionInfo s) => bytes ? s.CompressedBytes!.Value : s.SharedValues;
        bool Beats(SolutionInfo o, SolutionInfo s) => bytes && o.ValidationLoss is { } mine && s.ValidationLoss is { } theirs
            ? Recommendation.DominatesBeyondNoise(o.CompressedBytes!.Value, mine, s.CompressedBytes!.Value, theirs)
            : Size(o) <= Size(s) && o.ValidationMetric >= s.ValidationMetric && (Size(o) < Size(s) || o.ValidationMetric > s.ValidationMetric);
        return solutions.Select(s => s with { Dominated = solutions.Any(o => !ReferenceEquals(o, s) && Beats(o, s)) }).ToArray();
    }

    /// <summary>Marks the recommended solution: the smallest file whose validation loss is within <paramref name="tolerance"/> by its interval's upper end.</summary>
    public static IReadOnlyList<SolutionInfo> MarkRecommended(IReadOnlyList<SolutionInfo> solutions, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(solutions);
        var chosen = Recommendation.Choose(solutions.Select(s => (s.Ready ? s.CompressedBytes : null, s.ValidationLoss)).ToList(), tolerance);
        return chosen is { } index ? solutions.Select((s, i) => i == index ? s with { Recommended = true } : s).ToArray() : solutions;
    }

    /// <summary>Marks the solutions at chance level on validation for a dataset of <paramref name="classes"/> classes.</summary>
    public static IReadOnlyList<SolutionInfo> MarkChanceLevel(IReadOnlyList<SolutionInfo> solutions, int classes)
    {
        ArgumentNullException.ThrowIfNull(solutions);
        return classes < 2 ? solutions : solutions.Select(s => s with { AtChanceLevel = IsChanceLevel(s.ValidationAccuracy, classes) }).ToArray();
    }

    /// <summary>
    /// True when <paramref name="accuracy"/> is at most guessing's 1 / <paramref name="classes"/> plus the smaller of half
    /// that and five points: 15 % for ten classes, 55 % for two, 1.5 % for a hundred.
    /// </summary>
    public static bool IsChanceLevel(double accuracy, int classes) => classes >= 2 && accuracy <= (1.0 / classes) + Math.Min(0.5 / classes, 0.05) + 1e-12;

    public static SolutionInfo Of(Solution solution) => new SolutionInfo(
        solution.Id,
        solution.Codec,
        JsonSerializer.Deserialize<Dictionary<string, int>>(solution.ParametersJson) ?? [],
        solution.Description,
        solution.SharedValues,
        solution.ValidationMetric,
        solution.ValidationAccuracy,
        solution.TestAccuracy,
        solution.BitsPerWeight,
        solution.CompressedBytes,
        solution.FileCompressionRatio,
        solution.PaperCompressionRatio,
        solution.Merged,
        solution.IsFinished)
    {
        ValidationLoss = Interval(solution.ValidationLoss, solution.ValidationLossLower, solution.ValidationLossUpper),
        TestLoss = Interval(solution.TestLoss, solution.TestLossLower, solution.TestLossUpper),
        ValidationInterval = MetricRange(solution.ValidationInterval, solution.ValidationIntervalLower, solution.ValidationIntervalUpper),
        TestInterval = MetricRange(solution.TestInterval, solution.TestIntervalLower, solution.TestIntervalUpper),
    };

    private static LossInterval? Interval(double? loss, double? lower, double? upper) =>
        loss is { } l && lower is { } low && upper is { } high ? new LossInterval(l, low, high) : null;

    private static MetricInterval? MetricRange(double? value, double? lower, double? upper) =>
        value is { } v && lower is { } low && upper is { } high ? new MetricInterval(v, low, high) : null;
}
