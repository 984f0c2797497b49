using WeightShare.Engine.Compression;
using WeightShare.Engine.Search;

namespace WeightShare.Engine.Pipeline;

/// <summary>
/// Keeps a calibrating codec's search on solutions calibration can still rescue: a point whose validation metric is
/// more than <see cref="FrontSelection.CalibrationReach"/> below the uploaded model's is infeasible, and is encoded so
/// that every feasible point dominates it (its objectives shifted past the hypervolume's reference), while infeasible
/// points still rank among themselves. Codecs that do not calibrate search unfocused, as the paper does.
/// </summary>
internal sealed class SearchFocus
{
    private readonly double _floor;
    private readonly double _sizeShift;

    private SearchFocus(double floor, double sizeShift)
    {
        _floor = floor;
        _sizeShift = sizeShift;
    }

    /// <summary>No focus: objectives are (1 - metric, size) for every point.</summary>
    public static SearchFocus None { get; } = new(double.NegativeInfinity, 0);

    // Far beyond any size a solution can have (bytes or values), and still exact in a double.
    private const double Shift = 1e15;

    public static SearchFocus For(CompressionSession session, double baselineMetric) =>
        session.FrontRefinement.FocusesSearch ? new SearchFocus(baselineMetric - FrontSelection.CalibrationReach, Shift) : None;

    /// <summary>The objective vector of a point.</summary>
    public double[] Encode(double metric, double size) =>
        metric >= _floor ? [1 - metric, size] : [2 - metric, size + _sizeShift];

    /// <summary>The points with their true objectives back (1 - metric, size).</summary>
    public IReadOnlyList<Individual> Decode(IReadOnlyList<Individual> points) => points
        .Select(p => p.F[0] > 1 ? new Individual(p.X, [p.F[0] - 1, p.F[1] - _sizeShift]) : p)
        .ToList();
}
