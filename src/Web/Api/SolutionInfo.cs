using System.Text.Json;
using WeightShare.Engine.Evaluation;
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

    /// <summary>
    /// In a run whose metric is a signal-to-noise ratio, the ratio in dB (at most 100, lossless): the shared weights'
    /// against the uploaded ones (weightSnr, data-free) or the outputs' on the test split (outputFidelity); the metric
    /// fields then hold it / 100 dB. Null in runs of other metrics.
    /// </summary>
    public double? SnrDb { get; init; }

    /// <summary>This solution with <see cref="SnrDb"/> read off its metric (a run in dB).</summary>
    public SolutionInfo WithDecibels() => this with { SnrDb = WeightFidelity.ToDecibels(TestAccuracy ?? ValidationMetric) };

    /// <summary>
    /// True when the solution's accuracy (test, or validation until it is measured) is hardly above what guessing
    /// reaches (see <see cref="IsChanceLevel"/>): a file nobody should ship.
    /// </summary>
    public bool AtChanceLevel { get; init; }

    /// <summary>
    /// Marks each solution that another in the list dominates: by .wsz bytes once every solution's file is written
    /// (whatever the search minimised: bytes are what a user pays), by shared values before.
    /// </summary>
    public static IReadOnlyList<SolutionInfo> MarkDominated(IReadOnlyList<SolutionInfo> solutions)
    {
        ArgumentNullException.ThrowIfNull(solutions);
        var bytes = solutions.All(s => s.CompressedBytes is not null);
        double Size(SolutionInfo s) => bytes ? s.CompressedBytes!.Value : s.SharedValues;
        return solutions.Select(s => s with
        {
            Dominated = solutions.Any(o => Size(o) <= Size(s) && o.ValidationMetric >= s.ValidationMetric
                && (Size(o) < Size(s) || o.ValidationMetric > s.ValidationMetric)),
        }).ToArray();
    }

    /// <summary>Marks the solutions at chance level for a dataset of <paramref name="classes"/> classes.</summary>
    public static IReadOnlyList<SolutionInfo> MarkChanceLevel(IReadOnlyList<SolutionInfo> solutions, int classes)
    {
        ArgumentNullException.ThrowIfNull(solutions);
        return classes < 2 ? solutions : solutions.Select(s => s with { AtChanceLevel = IsChanceLevel(s.TestAccuracy ?? s.ValidationAccuracy, classes) }).ToArray();
    }

    /// <summary>
    /// True when <paramref name="accuracy"/> is at most guessing's 1 / <paramref name="classes"/> plus the smaller of half
    /// that and five points: 15 % for ten classes, 55 % for two, 1.5 % for a hundred.
    /// </summary>
    public static bool IsChanceLevel(double accuracy, int classes) => classes >= 2 && accuracy <= (1.0 / classes) + Math.Min(0.5 / classes, 0.05) + 1e-12;

    public static SolutionInfo Of(Solution solution) => new(
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
        solution.IsFinished);
}
