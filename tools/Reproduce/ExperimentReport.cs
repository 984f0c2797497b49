namespace WeightShare.Reproduce;

/// <summary>One solution as the results table needs it: before and after Huffman coding.</summary>
public sealed record SolutionRow(
    int K,
    int SharedValues,
    bool Merged,
    double ValidationAccuracy,
    double TestAccuracy,
    double FixedBits,
    double HuffmanBits,
    long CompressedBytes,
    double FileRatio);

/// <summary>One evaluated point of the search.</summary>
public sealed record PointRow(int K, int SharedValues, double ValidationAccuracy);

/// <summary>One generation's figures.</summary>
public sealed record GenerationRow(int Generation, double? Hypervolume, int Evaluations, int CacheHits, IReadOnlyList<PointRow> Front);

/// <summary>Everything a reproduction run measured; report.json holds it and the table and pictures are made from it.</summary>
public sealed record ExperimentReport(
    string Name,
    string Model,
    long ModelBytes,
    long SharedWeights,
    int ValidationSamples,
    int TestSamples,
    object Settings,
    double BaselineValidationAccuracy,
    double BaselineTestAccuracy,
    SolutionRow RandomK,
    IReadOnlyList<SolutionRow> Front,
    IReadOnlyList<SolutionRow> Merged,
    IReadOnlyList<PointRow> Evaluated,
    IReadOnlyList<GenerationRow> Generations,
    int EvaluationsComputed,
    int CacheHits,
    double BaselineSeconds,
    double SearchSeconds,
    double MergeSeconds,
    double FinishSeconds,
    string Selection);
