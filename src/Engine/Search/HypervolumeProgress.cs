namespace WeightShare.Engine.Search;

/// <summary>
/// Follows the hypervolume from generation to generation for the reports and the early stop: how large it has been
/// at most, and for how many generations in a row it has not grown.
/// </summary>
/// <remarks>
/// The area is that of every non-dominated point evaluated so far (an archive), not of the current population's
/// front: when the first front holds more points than the population, NSGA-II's truncation by crowding distance
/// drops some of them and the population's area can shrink (a data-free run went 379,887 → 378,464). The archive
/// only gains points, so its area never falls, and it is rebuilt exactly from a saved state's cache.
/// </remarks>
internal sealed class HypervolumeProgress(Nsga2Options options)
{
    // Non-dominated points strictly inside the reference box, in no particular order; only these can add area.
    private readonly List<(double F1, double F2)> _archive = [];
    private int? _objectives;

    /// <summary>This generation's hypervolume, null without a reference or with other than two objectives.</summary>
    public double? Last { get; private set; }

    public double? Best { get; private set; }

    public int Stale { get; private set; }

    /// <summary>True once the hypervolume has been flat for the patience the options give.</summary>
    public bool Exhausted => options.Patience > 0 && Stale >= options.Patience;

    /// <summary>Adds a generation's evaluated points (cache hits too) and measures the archive.</summary>
    public void Observe(IEnumerable<Individual> evaluated)
    {
        Add(evaluated);
        Last = options.HypervolumeReference is { } reference && _objectives == 2
            ? Hypervolume.Compute2D(_archive, (reference[0], reference[1]))
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
        Add(state.Cache);
        Best = state.BestHypervolume;
        Stale = state.StaleGenerations;
    }

    private void Add(IEnumerable<Individual> points)
    {
        if (options.HypervolumeReference is not { } reference)
        {
            return;
        }
        foreach (var point in points)
        {
            _objectives ??= point.F.Length;
            if (point.F.Length != 2 || !(point.F[0] < reference[0] && point.F[1] < reference[1]))
            {
                continue;
            }
            var (f1, f2) = (point.F[0], point.F[1]);
            if (_archive.Exists(a => a.F1 <= f1 && a.F2 <= f2))
            {
                continue;
            }
            _archive.RemoveAll(a => f1 <= a.F1 && f2 <= a.F2);
            _archive.Add((f1, f2));
        }
    }
}
