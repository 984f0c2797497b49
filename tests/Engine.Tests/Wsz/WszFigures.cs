using WeightShare.Engine.Wsz;

namespace WeightShare.Engine.Tests.Wsz;

/// <summary>How small a paper-codec .wsz file is (test-side arithmetic over the parsed file).</summary>
/// <param name="CompressedBytes">The whole .wsz file's size (compare with the original file for the honest ratio).</param>
/// <param name="BitsPerSharedWeight">Index-stream bits per shared weight: the average Huffman code length, plus at most 7 padding bits over all weights.</param>
/// <param name="PaperRatio">The paper's ratio, 32 / BitsPerSharedWeight; it ignores the codebook and unshared tensors.</param>
public sealed record WszFigures(long CompressedBytes, double BitsPerSharedWeight, double PaperRatio)
{
    /// <summary>The figures of <paramref name="content"/>.</summary>
    public static WszFigures Of(WszContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        long symbols = content.SymbolCount;
        double bits = symbols == 0 ? 0 : WszTestFiles.Paper(content).IndexStream.LongLength * 8.0 / symbols;
        return new WszFigures(WszWriter.Length(content), bits, bits == 0 ? 0 : 32 / bits);
    }
}
