namespace WeightShare.Jobs.Events;

/// <summary>A generation committed to the database (api.md hub message "Generation").</summary>
public sealed record GenerationCompleted(
    string RunId,
    int Generation,
    int Generations,
    double? Hypervolume,
    int Evaluations,
    int CacheHits,
    IReadOnlyList<FrontPoint> Population,
    IReadOnlyList<FrontPoint> Front)
{
    /// <summary>Evaluations racing stopped early so far (cumulative); null for generations stored before racing.</summary>
    public int? RacedEvaluations { get; init; }

    /// <summary>Validation samples measured so far over every evaluation (cumulative); null for generations stored before racing.</summary>
    public long? ValidationSamplesEvaluated { get; init; }
}
