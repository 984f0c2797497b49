namespace WeightShare.Engine.Wsz;

/// <summary>
/// Everything a .wsz file holds: enough to rebuild the original checkpoint file byte for byte, except that the
/// shared tensors' elements are what the codec's block decodes to. Layout: docs/wsz-format.md.
/// </summary>
/// <param name="Version">1 (the paper codec's own layout, as every earlier release wrote it) or 2 (any codec).</param>
/// <param name="Format">The checkpoint format: "torchscript", "pytorch", "safetensors", "onnx".</param>
/// <param name="OriginalFileName">The uploaded file's name, without any folder.</param>
/// <param name="ReconstructedLength">Length of the file decoding produces (= the original's length).</param>
/// <param name="ReconstructedSha256">SHA-256 of the file decoding must produce.</param>
/// <param name="Segments">The shared tensors' places in the file, ascending and non-overlapping.</param>
/// <param name="CrcFixups">Checksums to recompute after splicing.</param>
/// <param name="CodecId">The codec whose decoder reads <paramref name="CodecBlock"/>; always "paper" in version 1.</param>
/// <param name="CodecBlock">The codec's own bytes: everything it needs to rebuild the shared weights.</param>
/// <param name="ResidualLength">Bytes of the original file outside the segments.</param>
/// <param name="ResidualDeflate">Those bytes, in file order, compressed as <see cref="ResidualCoding"/> says.</param>
public sealed record WszContent(
    int Version,
    string Format,
    string OriginalFileName,
    long ReconstructedLength,
    byte[] ReconstructedSha256,
    IReadOnlyList<WszSegment> Segments,
    IReadOnlyList<WszCrcFixup> CrcFixups,
    string CodecId,
    byte[] CodecBlock,
    long ResidualLength,
    byte[] ResidualDeflate)
{
    /// <summary>How <see cref="ResidualDeflate"/> is coded (the name stays from version 1, which only deflates).</summary>
    public WszResidualCoding ResidualCoding { get; init; } = WszResidualCoding.Deflate;

    /// <summary>The number of shared weights the codec block rebuilds: all segments' elements.</summary>
    public long SymbolCount => Segments.Sum(s => s.ElementCount);
}
