namespace WeightShare.Engine.Search;

/// <summary>The outcome of <see cref="Nsga2.RunAsync"/>.</summary>
/// <param name="Population">The final population.</param>
/// <param name="Front">Its rank-0 members, sorted as in <see cref="GenerationReport.Front"/>.</param>
/// <param name="Generations">Number of the last completed generation (equals the reports a straight run delivers).</param>
/// <param name="EvaluationsComputed">Evaluations that ran, over the whole run including before a resume.</param>
/// <param name="CacheHits">Evaluations answered from the cache, likewise cumulative.</param>
public sealed record Nsga2Result(
    IReadOnlyList<Individual> Population,
    IReadOnlyList<Individual> Front,
    int Generations,
    int EvaluationsComputed,
    int CacheHits)
{
    /// <summary>True when the early stop ended the search before its last generation.</summary>
    public bool StoppedEarly { get; init; }
}
