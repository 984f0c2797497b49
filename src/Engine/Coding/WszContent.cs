namespace WeightShare.Engine.Coding;

/// <summary>
/// Everything a .wsz file holds: enough to rebuild the original checkpoint file byte for byte, except that the
/// shared tensors' elements are the codebook values. Layout: docs/wsz-format.md.
/// </summary>
/// <param name="Format">The checkpoint format: "torchscript", "pytorch", "safetensors".</param>
/// <param name="OriginalFileName">The uploaded file's name, without any folder.</param>
/// <param name="ReconstructedLength">Length of the file decoding produces (= the original's length).</param>
/// <param name="ReconstructedSha256">SHA-256 of the file decoding must produce.</param>
/// <param name="Segments">The shared tensors' places in the file, ascending and non-overlapping.</param>
/// <param name="CrcFixups">Checksums to recompute after splicing.</param>
/// <param name="Codebook">The shared values.</param>
/// <param name="CodeLengths">Canonical Huffman code length per codebook value (0 = unused).</param>
/// <param name="IndexStream">The Huffman-coded codebook index of every segment element, segment by segment, MSB-first.</param>
/// <param name="ResidualLength">Bytes of the original file outside the segments.</param>
/// <param name="ResidualDeflate">Those bytes, in file order, raw-deflate compressed.</param>
public sealed record WszContent(
    string Format,
    string OriginalFileName,
    long ReconstructedLength,
    byte[] ReconstructedSha256,
    IReadOnlyList<WszSegment> Segments,
    IReadOnlyList<WszCrcFixup> CrcFixups,
    float[] Codebook,
    int[] CodeLengths,
    byte[] IndexStream,
    long ResidualLength,
    byte[] ResidualDeflate)
{
    /// <summary>The number of shared weights (coded indices): all segments' elements.</summary>
    public long SymbolCount => Segments.Sum(s => s.ElementCount);
}
