using WeightShare.Engine.Compression;
using WeightShare.Engine.Search;

namespace WeightShare.Engine.Pipeline;

/// <summary>
/// Which points of the search's final front become solutions and which of them are refined; a codec chooses its
/// own (<see cref="Codecs.WeightCodec.FrontRefinementFor"/>), the pipeline carries it out and commits each choice.
/// </summary>
public abstract class FrontRefinement
{
    /// <summary>
    /// Chooses one front point: refined or not, it becomes a solution; returns it as planned, with its validation
    /// metric and, for a refined point, its validation loss interval.
    /// </summary>
    public delegate Task<PlannedSolution> Choose(Individual point, bool refine);

    /// <summary>True when the search should be focused on points within reach of the baseline (<see cref="SearchFocus"/>).</summary>
    public virtual bool FocusesSearch => false;

    /// <summary>How many points it may choose at most, for progress.</summary>
    public abstract int MostChosen(IReadOnlyList<Individual> front, double baselineMetric, RunSettings settings);

    /// <summary>Chooses the solutions of <paramref name="front"/> through <paramref name="choose"/>.</summary>
    public abstract Task ChooseAsync(IReadOnlyList<Individual> front, double baselineMetric, RunSettings settings, Choose choose);
}
