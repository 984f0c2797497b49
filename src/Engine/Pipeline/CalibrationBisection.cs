using WeightShare.Engine.Compression;
using WeightShare.Engine.Search;

namespace WeightShare.Engine.Pipeline;

/// <summary>
/// The choice of codecs that calibrate: calibration is costly, so the budget is spent on a bisection over the front,
/// by size, for the smallest point that, calibrated, keeps the validation metric within the target of the uploaded
/// model's; besides what it calibrated, only points a user could want (near the baseline) are offered, uncalibrated.
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
        var target = baselineMetric - settings.Calibration.TargetLoss;
        var (low, high) = (0, bySize.Count - 1);
        for (var spent = 0; spent < settings.Calibration.Budget && low <= high; spent++)
        {
            var middle = (low + high) / 2;
            if (await choose(bySize[middle], refine: true).ConfigureAwait(false) >= target)
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
}
