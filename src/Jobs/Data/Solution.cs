namespace WeightShare.Jobs.Data;

/// <summary>
/// One solution of the final front. The row is written when its merge is done (plan only) and completed with
/// figures and files when it is finished, so either step is resumed, not repeated.
/// </summary>
public sealed class Solution
{
    public string Id { get; set; } = NewId.Next();

    public required string RunId { get; set; }

    public int K { get; set; }

    public int SharedValues { get; set; }

    public bool Merged { get; set; }

    /// <summary>First bin of each merged group as JSON, or null when the bins were not merged.</summary>
    public string? GroupStartsJson { get; set; }

    public double ValidationAccuracy { get; set; }

    public double? TestAccuracy { get; set; }

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
