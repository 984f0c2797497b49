namespace WeightShare.Engine.Compression;

/// <summary>What one finished solution achieves; the figures users see in the solutions table.</summary>
/// <param name="SharedValues">Distinct values (or codewords) the codec uses.</param>
/// <param name="Description">The codec's one-line description of the solution.</param>
/// <param name="ValidationAccuracy">Top-1 accuracy on the validation split.</param>
/// <param name="TestAccuracy">Top-1 accuracy on the test split (never seen by the search).</param>
/// <param name="ValidationMacroF1">Macro-F1 on the validation split.</param>
/// <param name="TestMacroF1">Macro-F1 on the test split.</param>
/// <param name="BitsPerWeight">Average bits the codes take per shared weight (the paper codec: Huffman code length).</param>
/// <param name="CompressedBytes">Size of the .wsz file.</param>
/// <param name="OriginalBytes">Size of the uploaded model file.</param>
public sealed record SolutionFigures(
    int SharedValues,
    string Description,
    double ValidationAccuracy,
    double TestAccuracy,
    double ValidationMacroF1,
    double TestMacroF1,
    double BitsPerWeight,
    long CompressedBytes,
    long OriginalBytes)
{
    /// <summary>The run's metric on the validation split.</summary>
    public double ValidationMetric { get; init; }

    /// <summary>The run's metric on the test split.</summary>
    public double TestMetric { get; init; }

    /// <summary>What the solution loses against the uploaded model on the validation split, with its 95 % interval (null where the metric pairs no outcomes).</summary>
    public Metrics.LossInterval? ValidationLoss { get; init; }

    /// <summary>The same on the test split, which only reports.</summary>
    public Metrics.LossInterval? TestLoss { get; init; }

    /// <summary>The run's metric on the validation split with its 95 % interval, for metrics without a loss interval (output fidelity); null otherwise.</summary>
    public Metrics.MetricInterval? ValidationInterval { get; init; }

    /// <summary>The same on the test split, which only reports.</summary>
    public Metrics.MetricInterval? TestInterval { get; init; }

    /// <summary>Uploaded file bytes / compressed file bytes: what the disk sees.</summary>
    public double FileCompressionRatio => (double)OriginalBytes / CompressedBytes;

    /// <summary>The paper's figure, 32 / average code length: ignores the codebook and unshared tensors.</summary>
    public double PaperCompressionRatio => 32.0 / BitsPerWeight;

}
