using WeightShare.Jobs.Events;
using WeightShare.Web.Api;

namespace WeightShare.Web.Components.Charts;

/// <summary>
/// What the Pareto chart draws, worked out from the run's state: every evaluated point (once per set of genes), the
/// latest front in order of shared values, the baseline, and the final or refined solutions. Y values are the run's
/// validation metric.
/// </summary>
public sealed record ParetoPlot(
    IReadOnlyList<FrontPoint> Evaluated,
    IReadOnlyList<FrontPoint> Front,
    IReadOnlyList<FrontPoint> Solutions,
    double? Baseline,
    int Generation)
{
    /// <summary>How far below the baseline the chart opens: the region where the solutions worth having lie.</summary>
    public const double ZoomBelowBaseline = 0.10;

    /// <summary>Final solutions another one beats in file size and accuracy (drawn apart, hollow).</summary>
    public IReadOnlyList<FrontPoint> Dominated { get; init; } = [];

    /// <summary>Final solutions no better than guessing (drawn apart, crossed).</summary>
    public IReadOnlyList<FrontPoint> AtChanceLevel { get; init; } = [];

    /// <summary>
    /// The y range (in %) the chart opens on once the baseline is known: from ten points below it (or lower, to show
    /// every final solution above chance level) to two above, so the trade-offs worth having are not squeezed into a
    /// thin band by collapsed points near chance.
    /// </summary>
    public (double Low, double High)? OpeningRange => Baseline is { } b
        ? (Math.Max(0, Math.Min(100 * (b - ZoomBelowBaseline), Solutions.Concat(Dominated).Select(s => (100 * s.ValidationAccuracy) - 2).DefaultIfEmpty(100).Min())), Math.Min(100, 100 * b) + 2)
        : null;

    public static ParetoPlot Of(
        IReadOnlyList<GenerationInfo> generations,
        IReadOnlyList<SolutionInfo> solutions,
        IReadOnlyList<MergeStepCompleted> mergeSteps,
        double? baseline)
    {
        var evaluated = generations
            .SelectMany(g => g.Population.Concat(g.Front))
            .GroupBy(Label)
            .Select(g => g.First())
            .OrderBy(p => p.SharedValues)
            .ToArray();
        var front = generations.Count == 0
            ? []
            : generations[^1].Front.DistinctBy(Label).OrderBy(p => p.SharedValues).ToArray();
        // Stored solutions win; until they are stored, each front member's latest accepted refinement step shows progress.
        FrontPoint Point(SolutionInfo s) => new(s.SharedValues, s.ValidationMetric) { Parameters = s.Parameters, ValidationMetric = s.ValidationMetric, Bytes = s.CompressedBytes };
        var finals = solutions.Count > 0
            ? solutions.Where(s => !s.Dominated && !s.AtChanceLevel).Select(Point).ToArray()
            : mergeSteps.GroupBy(m => Label(m.Parameters)).Select(g => g.Last())
                .Select(m => new FrontPoint(m.SharedValues, m.ValidationAccuracy)
                {
                    Parameters = m.Parameters,
                    ValidationMetric = m.ValidationAccuracy,
                    // A refinement step carries no size of its own: until the solution is stored, it stands at its
                    // front point's bytes (calibration keeps the indices, so the size barely moves).
                    Bytes = front.FirstOrDefault(p => Label(p) == Label(m.Parameters))?.Bytes,
                }).ToArray();
        return new ParetoPlot(evaluated, front, finals.OrderBy(p => p.SharedValues).ToArray(), baseline, generations.Count == 0 ? 0 : generations[^1].Generation)
        {
            Dominated = solutions.Where(s => s.Dominated && !s.AtChanceLevel).Select(Point).ToArray(),
            AtChanceLevel = solutions.Where(s => s.AtChanceLevel).Select(Point).ToArray(),
        };
    }

    /// <summary>The genes of a point as people read them: "k = 19", or "bits = 4, group = 2".</summary>
    public static string Label(FrontPoint point) => Label(point.Parameters);

    /// <summary>True when the run's search minimised bytes: the x axis is then the .wsz file's size.</summary>
    public bool UsesBytes => Evaluated.Any(p => p.Bytes is not null);

    /// <summary>The uploaded model's bytes, when known: the numerator of the file ratio.</summary>
    public long? ModelBytes { get; init; }

    /// <summary>Asked for: the x axis as the file ratio (uploaded bytes / .wsz bytes) instead of the .wsz's bytes.</summary>
    public bool RatioRequested { get; init; }

    /// <summary>True when the x axis is the file ratio: asked for, on a bytes run whose model size is known.</summary>
    public bool UsesRatio => RatioRequested && UsesBytes && ModelBytes is > 0;

    /// <summary>
    /// Where a point stands on the x axis: the file ratio or bytes when the run minimised bytes, else shared values.
    /// </summary>
    public double X(FrontPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (!UsesBytes)
        {
            return point.SharedValues;
        }
        if (point.Bytes is not { } bytes || bytes <= 0)
        {
            return double.NaN;
        }
        return UsesRatio ? (double)ModelBytes!.Value / bytes : bytes;
    }

    /// <summary>The points that have a place on the x axis (a point without bytes on a bytes axis has none).</summary>
    public IReadOnlyList<FrontPoint> Placed(IReadOnlyList<FrontPoint> points) =>
        points.Where(p => double.IsFinite(X(p))).ToArray();

    /// <summary>A key that changes whenever the drawing would.</summary>
    public string Signature => $"{Generation}/{Evaluated.Count}/{Front.Count}/{UsesBytes}/{UsesRatio}/{string.Join(",", Solutions.Concat(Dominated).Concat(AtChanceLevel).Select(s => $"{Label(s)}:{s.SharedValues}:{X(s)}"))}/{Dominated.Count}/{AtChanceLevel.Count}/{Baseline}";

    /// <summary>Genes as people read them: "k = 19", or "bits = 4, group = 2".</summary>
    public static string Label(IReadOnlyDictionary<string, int>? parameters) =>
        string.Join(", ", (parameters ?? new Dictionary<string, int>()).Select(p => $"{p.Key} = {p.Value}"));
}
