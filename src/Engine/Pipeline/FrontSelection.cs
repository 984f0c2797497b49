using WeightShare.Engine.Search;

namespace WeightShare.Engine.Pipeline;

/// <summary>
/// Which points of the final front become solutions, and which of them are refined: every distinct point of the
/// front is kept; those whose validation metric is no worse than the uploaded model's are refined (the
/// paper's iterative merge, arXiv 2501.03095, merges the front solutions that keep the original's validation error).
/// </summary>
public static class FrontSelection
{
    /// <summary>The first non-dominated front of the saved population, one point per distinct genes, in gene order.</summary>
    public static IReadOnlyList<Individual> Front(Nsga2State state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Population
            .Where(m => m.Rank == 0)
            .DistinctBy(m => string.Join(',', m.X))
            .Select(m => new Individual(m.X, m.F))
            .OrderBy(i => i.X, GeneOrder.Instance)
            .ToList();
    }

    /// <summary>How far below the uploaded model's validation metric calibration is tried: it has recovered 30 points.</summary>
    public const double CalibrationReach = 0.4;

    /// <summary>How far below the uploaded model's validation metric an uncalibrated point is still offered.</summary>
    public const double OfferedWithin = 0.05;

    /// <summary>True when an uncalibrated point is close enough to the uploaded model to be worth finishing.</summary>
    public static bool IsOffered(Individual point, double baselineMetric)
    {
        ArgumentNullException.ThrowIfNull(point);
        return 1 - point.F[0] >= baselineMetric - OfferedWithin;
    }

    /// <summary>
    /// True when the point's validation error (its first objective) is at most the uploaded model's, i.e. the point
    /// keeps the baseline's validation metric.
    /// </summary>
    public static bool IsRefined(Individual point, double baselineMetric)
    {
        ArgumentNullException.ThrowIfNull(point);
        return point.F[0] <= 1 - baselineMetric;
    }
}
