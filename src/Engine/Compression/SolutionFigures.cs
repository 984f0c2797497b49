namespace WeightShare.Engine.Compression;

/// <summary>What one finished solution achieves; the figures users see in the solutions table.</summary>
/// <param name="K">Uniform bins searched.</param>
/// <param name="SharedValues">Values in the final codebook.</param>
/// <param name="ValidationAccuracy">Top-1 accuracy on the validation split.</param>
/// <param name="TestAccuracy">Top-1 accuracy on the test split (never seen by the search).</param>
/// <param name="ValidationMacroF1">Macro-F1 on the validation split.</param>
/// <param name="TestMacroF1">Macro-F1 on the test split.</param>
/// <param name="BitsPerWeight">Average Huffman code length over the shared weights.</param>
/// <param name="CompressedBytes">Size of the .wsz file.</param>
/// <param name="OriginalBytes">Size of the uploaded model file.</param>
/// <param name="Merged">True when neighbouring bins were merged.</param>
public sealed record SolutionFigures(
    int K,
    int SharedValues,
    double ValidationAccuracy,
    double TestAccuracy,
    double ValidationMacroF1,
    double TestMacroF1,
    double BitsPerWeight,
    long CompressedBytes,
    long OriginalBytes,
    bool Merged)
{
    /// <summary>Uploaded file bytes / compressed file bytes: what the disk sees.</summary>
    public double FileCompressionRatio => (double)OriginalBytes / CompressedBytes;

    /// <summary>The paper's figure, 32 / average code length: ignores the codebook and unshared tensors.</summary>
    public double PaperCompressionRatio => 32.0 / BitsPerWeight;
}
