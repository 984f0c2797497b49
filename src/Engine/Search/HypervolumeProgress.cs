namespace WeightShare.Engine.Search;

/// <summary>
/// Follows the front's hypervolume from generation to generation for the early stop: how large it has been at most,
/// and for how many generations in a row it has not grown.
/// </summary>
internal sealed class HypervolumeProgress(Nsga2Options options)
{
    /// <summary>This generation's hypervolume, null without a reference or with other than two objectives.</summary>
    public double? Last { get; private set; }

    public double? Best { get; private set; }

    public int Stale { get; private set; }

    /// <summary>True once the hypervolume has been flat for the patience the options give.</summary>
    public bool Exhausted => options.Patience > 0 && Stale >= options.Patience;

    public void Observe(IReadOnlyList<Nsga2Member> population)
    {
        var front = population.Where(m => m.Rank == 0).ToList();
        Last = options.HypervolumeReference is { } reference && front.Count > 0 && front[0].F.Length == 2
            ? Hypervolume.Compute2D(front.Select(m => (m.F[0], m.F[1])), (reference[0], reference[1]))
            : null;
        if (Last is not { } now)
        {
            return;
        }
        // Growth below the options' relative tolerance (and rounding in the area sum) is not progress.
        if (Best is not { } best || now > best + (Math.Max(options.PatienceTolerance, 1e-12) * Math.Max(1e-300, Math.Abs(best))))
        {
            Best = now;
            Stale = 0;
        }
        else
        {
            Stale++;
        }
    }

    public void Restore(Nsga2State state)
    {
        Best = state.BestHypervolume;
        Stale = state.StaleGenerations;
    }
}
