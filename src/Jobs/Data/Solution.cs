namespace WeightShare.Jobs.Data;

/// <summary>
/// One solution of the final front. The row is written when the refine phase has chosen it (plan only) and completed
/// with figures and files when it is finished, so either step is resumed, not repeated.
/// </summary>
public sealed class Solution
{
    public string Id { get; set; } = NewId.Next();

    public required string RunId { get; set; }

    /// <summary>The codec that made it (its id).</summary>
    public required string Codec { get; set; }

    /// <summary>The codec's genes by name as compact JSON, e.g. <c>{"k":19}</c>; unique within a run.</summary>
    public required string ParametersJson { get; set; }

    /// <summary>The codec's one-line description, e.g. "k = 19 merged to 17 shared values".</summary>
    public required string Description { get; set; }

    public int SharedValues { get; set; }

    /// <summary>True when the refinement changed the solution (the paper codec: bins were merged).</summary>
    public bool Merged { get; set; }

    /// <summary>The codec's refinement record (the paper codec: the first bin of each merged group, as JSON), or null.</summary>
    public string? RefinementJson { get; set; }

    /// <summary>The run's validation metric (accuracy or macro-F1): after refinement, then as measured when finished.</summary>
    public double ValidationMetric { get; set; }

    /// <summary>Top-1 validation accuracy once finished; the run's metric until then (as earlier releases stored it).</summary>
    public double ValidationAccuracy { get; set; }

    public double? TestAccuracy { get; set; }

    /// <summary>What the solution loses against the uploaded model on validation (0.01 = one point), once finished; null where the metric pairs no outcomes.</summary>
    public double? ValidationLoss { get; set; }

    /// <summary>The lower end of <see cref="ValidationLoss"/>'s 95 % interval.</summary>
    public double? ValidationLossLower { get; set; }

    /// <summary>The upper end of <see cref="ValidationLoss"/>'s 95 % interval: what the recommendation reads.</summary>
    public double? ValidationLossUpper { get; set; }

    /// <summary>What the solution loses on the test split, which only reports.</summary>
    public double? TestLoss { get; set; }

    /// <summary>The lower end of <see cref="TestLoss"/>'s 95 % interval.</summary>
    public double? TestLossLower { get; set; }

    /// <summary>The upper end of <see cref="TestLoss"/>'s 95 % interval.</summary>
    public double? TestLossUpper { get; set; }

    /// <summary>
    /// The run's metric on validation with a 95 % interval (<see cref="ValidationIntervalLower"/> to
    /// <see cref="ValidationIntervalUpper"/>), for metrics without a loss interval (output fidelity: dB / 100); null otherwise.
    /// </summary>
    public double? ValidationInterval { get; set; }

    /// <summary>The lower end of <see cref="ValidationInterval"/>'s 95 % interval.</summary>
    public double? ValidationIntervalLower { get; set; }

    /// <summary>The upper end of <see cref="ValidationInterval"/>'s 95 % interval.</summary>
    public double? ValidationIntervalUpper { get; set; }

    /// <summary>The same on the test split, which only reports.</summary>
    public double? TestInterval { get; set; }

    /// <summary>The lower end of <see cref="TestInterval"/>'s 95 % interval.</summary>
    public double? TestIntervalLower { get; set; }

    /// <summary>The upper end of <see cref="TestInterval"/>'s 95 % interval.</summary>
    public double? TestIntervalUpper { get; set; }

    public double? ValidationMacroF1 { get; set; }

    public double? TestMacroF1 { get; set; }

    public double? BitsPerWeight { get; set; }

    public long? CompressedBytes { get; set; }

    public long? OriginalBytes { get; set; }

    public double? FileCompressionRatio { get; set; }

    public double? PaperCompressionRatio { get; set; }

    public string? CompressedFileId { get; set; }

    public StoredFile? CompressedFile { get; set; }

    public string? CheckpointFileId { get; set; }

    public StoredFile? CheckpointFile { get; set; }

    /// <summary>True once figures and files are stored.</summary>
    public bool IsFinished => CompressedFileId is not null && CheckpointFileId is not null;
}
