using WeightShare.Engine.Compression;
using WeightShare.Engine.Search;

namespace WeightShare.Engine.Pipeline;

/// <summary>
/// The paper's choice: every distinct point of the front becomes a solution, and when the run refines (merge on), those
/// that keep the uploaded model's validation metric are refined (the paper merges the front solutions that keep the
/// original's validation error).
/// </summary>
/// <param name="refines">False for a codec whose refinement does not apply to this run (e.g. calibration without data).</param>
public sealed class EveryFrontPoint(bool refines) : FrontRefinement
{
    /// <inheritdoc />
    public override int MostChosen(IReadOnlyList<Individual> front, double baselineMetric, RunSettings settings) => front.Count;

    /// <inheritdoc />
    public override async Task ChooseAsync(IReadOnlyList<Individual> front, double baselineMetric, RunSettings settings, Choose choose)
    {
        ArgumentNullException.ThrowIfNull(front);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(choose);
        foreach (var point in front)
        {
            await choose(point, refines && settings.Merge.Enabled && FrontSelection.IsRefined(point, baselineMetric)).ConfigureAwait(false);
        }
    }
}
