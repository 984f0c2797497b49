namespace WeightShare.Engine.Codecs.Additive;

/// <summary>Vectors of <paramref name="D"/> weights, each the sum of one codeword from each of <paramref name="M"/> codebooks.</summary>
/// <param name="D">Weights per vector.</param>
/// <param name="M">Codebooks.</param>
/// <param name="K">Codewords per codebook.</param>
/// <param name="Codebooks">M x K x D floats, codebook after codebook.</param>
/// <param name="Codes">Vectors x M codes, vector after vector.</param>
internal sealed record AdditiveCodes(int D, int M, int K, float[] Codebooks, ushort[] Codes)
{
    /// <summary>Vectors coded.</summary>
    public int Vectors => Codes.Length / M;

    /// <summary>
    /// Writes vector <paramref name="vector"/>'s first <paramref name="output"/>.Length weights: its codewords added in
    /// codebook order, in float32, the very sums every decoder makes.
    /// </summary>
    public void Rebuild(int vector, Span<float> output)
    {
        var first = Codebooks.AsSpan(Codes[vector * M] * D, output.Length);
        first.CopyTo(output);
        for (var book = 1; book < M; book++)
        {
            var word = Codebooks.AsSpan(((book * K) + Codes[(vector * M) + book]) * D, output.Length);
            for (var j = 0; j < output.Length; j++)
            {
                output[j] += word[j];
            }
        }
    }
}
