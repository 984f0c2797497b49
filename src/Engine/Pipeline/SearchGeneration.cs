namespace WeightShare.Engine.Pipeline;

/// <summary>A completed NSGA-II generation as a host stores and shows it.</summary>
/// <param name="Generation">1-based; the evaluated initial population is generation 1.</param>
/// <param name="Generations">The run's number of generations.</param>
/// <param name="Hypervolume">The hypervolume of every (1 - metric, size) point found so far, which never falls, against (1, the largest size): the codec's most shared values, or the uploaded file's bytes when the search minimises bytes.</param>
/// <param name="Evaluations">Evaluations computed so far (cumulative).</param>
/// <param name="CacheHits">Evaluations answered from the cache so far (cumulative).</param>
/// <param name="Population">The surviving population.</param>
/// <param name="Front">Its first non-dominated front, by shared values then metric.</param>
public sealed record SearchGeneration(
    int Generation,
    int Generations,
    double? Hypervolume,
    int Evaluations,
    int CacheHits,
    IReadOnlyList<SearchPoint> Population,
    IReadOnlyList<SearchPoint> Front)
{
    /// <summary>Evaluations so far (cumulative) that racing stopped before the last validation sample.</summary>
    public int RacedEvaluations { get; init; }

    /// <summary>Validation samples measured so far over every evaluation (cumulative); 0 in a data-free run.</summary>
    public long ValidationSamples { get; init; }

    /// <summary>
    /// A racing search's every evaluation so far with the samples it used, in order: what the search resumes its
    /// racing from, committed with the generation. Empty without racing.
    /// </summary>
    public IReadOnlyList<SampledEvaluation> Racing { get; init; } = [];
}
