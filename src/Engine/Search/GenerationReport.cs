namespace WeightShare.Engine.Search;

/// <summary>What a generation produced, delivered after environmental selection.</summary>
/// <param name="Generation">1-based; the evaluated initial population is generation 1.</param>
/// <param name="Population">The surviving population.</param>
/// <param name="Front">Rank-0 members sorted by the second objective, then the first, then the variables.</param>
/// <param name="Hypervolume">
/// 2-D hypervolume against <see cref="Nsga2Options.HypervolumeReference"/> of every non-dominated point evaluated
/// so far (so it never falls, while <paramref name="Front"/> may lose points to crowding); null without a reference
/// or when there are not exactly two objectives.
/// </param>
/// <param name="Offspring">Vectors requested for evaluation this generation (the initial population in generation 1).</param>
/// <param name="EvaluationsComputed">Cumulative evaluations that ran.</param>
/// <param name="CacheHits">Cumulative evaluations answered from the cache.</param>
public sealed record GenerationReport(
    int Generation,
    IReadOnlyList<Individual> Population,
    IReadOnlyList<Individual> Front,
    double? Hypervolume,
    int Offspring,
    int EvaluationsComputed,
    int CacheHits);
