using TorchSharp;

namespace WeightShare.Engine.Codecs.Additive;

/// <summary>The additive codec's code search on its own, for benchmarks and tools: every row's codes for fixed codebooks.</summary>
public static class AdditiveCodeSearch
{
    /// <summary>
    /// Every row's M codes by beam search over the codebooks in order (beam 1 is residual quantization), as the codec
    /// finds them: batched distance products and a top-k per step, in TorchSharp.
    /// </summary>
    /// <param name="rows">Rows of <paramref name="d"/> weights, row-major.</param>
    /// <param name="d">Weights per row.</param>
    /// <param name="codebooks">M x K x d codewords.</param>
    /// <param name="m">Codebooks.</param>
    /// <param name="beam">Partial sums kept per row.</param>
    /// <returns>Rows x M codes.</returns>
    public static long[] Encode(float[] rows, int d, float[] codebooks, int m, int beam)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(codebooks);
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(beam, 1);
        using var scope = torch.NewDisposeScope();
        var k = codebooks.Length / m / d;
        var codes = AdditiveFit.Encode(torch.tensor(rows, [rows.Length / d, d]), torch.tensor(codebooks, [m, k, d]), beam);
        return codes.data<long>().ToArray();
    }
}
