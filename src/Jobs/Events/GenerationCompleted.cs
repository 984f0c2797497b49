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
    IReadOnlyList<FrontPoint> Front);
