namespace WeightShare.Engine.Search;

/// <summary>
/// Everything needed to continue a run after generation <see cref="Generation"/> exactly as if it had not stopped.
/// A plain record that round-trips through System.Text.Json, so hosts can persist it next to the report.
/// </summary>
/// <param name="Generation">The last completed generation (1-based).</param>
/// <param name="Population">The population after environmental selection, in selection order.</param>
/// <param name="RandomState">The four words of the xoshiro256** generator.</param>
/// <param name="Cache">Every evaluated decision vector, in evaluation order.</param>
/// <param name="EvaluationsComputed">Evaluations that ran so far.</param>
/// <param name="CacheHits">Evaluations answered from the cache so far.</param>
public sealed record Nsga2State(
    int Generation,
    IReadOnlyList<Nsga2Member> Population,
    ulong[] RandomState,
    IReadOnlyList<Individual> Cache,
    int EvaluationsComputed,
    int CacheHits)
{
    /// <summary>The largest hypervolume so far (for the early stop); null in states saved before it existed.</summary>
    public double? BestHypervolume { get; init; }

    /// <summary>Generations in a row, up to this one, in which the hypervolume did not grow.</summary>
    public int StaleGenerations { get; init; }
}
