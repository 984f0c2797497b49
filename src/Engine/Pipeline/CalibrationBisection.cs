using WeightShare.Engine.Compression;
using WeightShare.Engine.Search;

namespace WeightShare.Engine.Pipeline;

/// <summary>
/// The choice of codecs that calibrate: calibration is costly, so the budget is spent on a bisection over the front,
/// by size, for the smallest point that, calibrated, holds the run's target; besides what it calibrated, only points a
/// user could want (near the baseline) are offered, uncalibrated. A calibrated point holds the target by the rule the
/// run's recommendation follows (<see cref="Recommendation"/>): the upper end of its validation loss interval, measured
/// on the whole validation split, is within <see cref="Recommendation.Tolerance"/>; so the budget is not spent on points
/// only the noise let through. Only for a metric that pairs no outcomes (no interval) is the point estimate compared.
/// </summary>
public sealed class CalibrationBisection : FrontRefinement
{
    /// <inheritdoc />
    public override bool FocusesSearch => true;

    /// <inheritdoc />
    public override int MostChosen(IReadOnlyList<Individual> front, double baselineMetric, RunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(front);
        ArgumentNullException.ThrowIfNull(settings);
        return front.Count(p => FrontSelection.IsOffered(p, baselineMetric)) + settings.Calibration.Budget;
    }

    /// <inheritdoc />
    public override async Task ChooseAsync(IReadOnlyList<Individual> front, double baselineMetric, RunSettings settings, Choose choose)
    {
        ArgumentNullException.ThrowIfNull(front);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(choose);
        var bySize = front.Where(p => 1 - p.F[0] >= baselineMetric - FrontSelection.CalibrationReach).OrderBy(p => p.F[1]).ThenBy(p => p.F[0]).ToList();
        var tolerance = Recommendation.Tolerance(settings.Calibration.TargetLoss);
        var (low, high) = (0, bySize.Count - 1);
        for (var spent = 0; spent < settings.Calibration.Budget && low <= high; spent++)
        {
            var middle = (low + high) / 2;
            if (Holds(await choose(bySize[middle], refine: true).ConfigureAwait(false), baselineMetric, tolerance))
            {
                high = middle - 1;
            }
            else
            {
                low = middle + 1;
            }
        }
        foreach (var point in front.Where(p => FrontSelection.IsOffered(p, baselineMetric)))
        {
            await choose(point, refine: false).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// True when a calibrated solution holds the target: by its validation loss interval's upper end where it has one,
    /// else by its validation metric's point estimate.
    /// </summary>
    public static bool Holds(PlannedSolution solution, double baselineMetric, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(solution);
        return solution.ValidationLoss is { } loss
            ? Recommendation.Within(loss, tolerance)
            : solution.ValidationMetric >= baselineMetric - tolerance;
    }
}
