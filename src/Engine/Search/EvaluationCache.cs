namespace WeightShare.Engine.Search;

/// <summary>
/// Answers repeated decision vectors from memory. With one integer variable at most kmax - kmin + 1 distinct
/// evaluations exist while the search asks for thousands, and each one costs a pass over the validation set.
/// </summary>
internal sealed class EvaluationCache
{
    private readonly Func<int[], CancellationToken, ValueTask<double[]>> _evaluate;
    private readonly Dictionary<int[], double[]> _byVector = new(IntVectorComparer.Instance);
    private readonly List<Individual> _entries = [];

    public EvaluationCache(Func<int[], CancellationToken, ValueTask<double[]>> evaluate)
    {
        _evaluate = evaluate;
    }

    public int Computed { get; private set; }

    public int Hits { get; private set; }

    /// <summary>Objective count fixed by the first evaluation; every later one must match it.</summary>
    public int? ObjectiveCount { get; private set; }

    /// <summary>Entries in evaluation order, copied so a saved state cannot change the live cache.</summary>
    public List<Individual> Snapshot() => _entries.Select(e => new Individual(e.X.ToArray(), e.F.ToArray())).ToList();

    public void Restore(IEnumerable<Individual> entries, int computed, int hits)
    {
        foreach (var entry in entries)
        {
            if (_byVector.TryAdd(entry.X.ToArray(), entry.F.ToArray()))
            {
                _entries.Add(new Individual(entry.X.ToArray(), entry.F.ToArray()));
                ObjectiveCount ??= entry.F.Length;
            }
        }

        Computed = computed;
        Hits = hits;
    }

    public async ValueTask<double[]> GetAsync(int[] x, CancellationToken cancellationToken)
    {
        // Checked before every evaluation so a cancelled run stops within the evaluation in flight.
        cancellationToken.ThrowIfCancellationRequested();
        if (_byVector.TryGetValue(x, out var cached))
        {
            Hits++;
            return cached;
        }

        var f = await _evaluate(x.ToArray(), cancellationToken).ConfigureAwait(false);
        f = Check(x, f);
        Computed++;
        var key = x.ToArray();
        _byVector.Add(key, f);
        _entries.Add(new Individual(key, f));
        return f;
    }

    private double[] Check(int[] x, double[]? f)
    {
        var where = $"the evaluation of [{string.Join(", ", x)}]";
        if (f is null || f.Length < 2)
        {
            throw new InvalidOperationException($"NSGA-II needs at least two objectives, but {where} returned {f?.Length ?? 0}.");
        }

        if (ObjectiveCount is { } count && f.Length != count)
        {
            throw new InvalidOperationException($"{where} returned {f.Length} objectives where earlier ones returned {count}.");
        }

        if (f.Any(double.IsNaN))
        {
            throw new InvalidOperationException($"{where} returned NaN, which cannot be ranked.");
        }

        ObjectiveCount = f.Length;
        return f.ToArray();
    }
}
