using WeightShare.Engine.Search;

namespace WeightShare.Engine.Compression;

/// <summary>One finished solution with the files it was written to.</summary>
public sealed record FinishedSolution(SolutionFigures Figures, string CompressedPath, string CheckpointPath);

/// <summary>Wall time of each phase, in seconds.</summary>
public sealed record PhaseTimings(double BaselineSeconds, double SearchSeconds, double MergeSeconds, double FinishSeconds);

/// <summary>Everything a whole run produced.</summary>
public sealed record CompressionReport(
    BaselineFigures Baseline,
    IReadOnlyList<GenerationReport> Generations,
    IReadOnlyList<FinishedSolution> Solutions,
    long SharedWeights,
    int EvaluationsComputed,
    int CacheHits,
    PhaseTimings Timings);
