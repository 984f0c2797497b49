namespace WeightShare.Engine.Sharing;

/// <summary>Applies a codebook to binned weights: the shared weights themselves, their final indices and frequencies.</summary>
public static class WeightSharing
{
    /// <summary>Writes output[i] = binValues[bins.BinOfWeight[i]], the weights after sharing.</summary>
    /// <param name="bins">The weights' bins.</param>
    /// <param name="binValues">One value per non-empty bin (for merged groups, each bin's group value).</param>
    /// <param name="output">Receives one value per weight.</param>
    public static void Dequantize(WeightBins bins, ReadOnlySpan<float> binValues, Span<float> output)
    {
        ArgumentNullException.ThrowIfNull(bins);
        if (binValues.Length != bins.Count)
        {
            throw new ArgumentException($"Expected {bins.Count} bin values but got {binValues.Length}.", nameof(binValues));
        }

        var binOf = bins.BinOfWeight;
        if (output.Length != binOf.Length)
        {
            throw new ArgumentException($"The output holds {output.Length} values but there are {binOf.Length} weights.", nameof(output));
        }

        for (int i = 0; i < binOf.Length; i++)
        {
            output[i] = binValues[binOf[i]];
        }
    }

    /// <summary>The value of each bin once groups are merged: codebook.Values[binToValue[b]].</summary>
    public static float[] BinValues(Codebook codebook, IReadOnlyList<int> binToValue)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        ArgumentNullException.ThrowIfNull(binToValue);
        var values = new float[binToValue.Count];
        for (int b = 0; b < values.Length; b++)
        {
            values[b] = codebook.Values[binToValue[b]];
        }

        return values;
    }

    /// <summary>Each weight's final index into the codebook, BinToValue[BinOfWeight[i]]; what the compressed file stores.</summary>
    /// <param name="bins">The weights' bins.</param>
    /// <param name="binToValue">For each bin its codebook index (from <see cref="Codebook.FromGroups"/>), or null when each bin is its own value.</param>
    public static ushort[] Indices(WeightBins bins, IReadOnlyList<int>? binToValue = null)
    {
        ArgumentNullException.ThrowIfNull(bins);
        var binOf = bins.BinOfWeight;
        if (binToValue is null)
        {
            return (ushort[])binOf.Clone();
        }

        var map = ToMap(bins, binToValue);
        var indices = new ushort[binOf.Length];
        for (int i = 0; i < binOf.Length; i++)
        {
            indices[i] = map[binOf[i]];
        }

        return indices;
    }

    /// <summary>How many weights use each codebook value: the symbol frequencies the Huffman code is built from.</summary>
    /// <param name="bins">The weights' bins.</param>
    /// <param name="binToValue">For each bin its codebook index, or null when each bin is its own value.</param>
    public static long[] CountPerValue(WeightBins bins, IReadOnlyList<int>? binToValue = null)
    {
        ArgumentNullException.ThrowIfNull(bins);
        if (binToValue is null)
        {
            return (long[])bins.Counts.Clone();
        }

        var map = ToMap(bins, binToValue);
        int valueCount = 0;
        foreach (ushort v in map)
        {
            valueCount = Math.Max(valueCount, v + 1);
        }

        // Bin counts already hold the frequencies, so no pass over the weights is needed.
        var counts = new long[valueCount];
        for (int b = 0; b < map.Length; b++)
        {
            counts[map[b]] += bins.Counts[b];
        }

        return counts;
    }

    private static ushort[] ToMap(WeightBins bins, IReadOnlyList<int> binToValue)
    {
        if (binToValue.Count != bins.Count)
        {
            throw new ArgumentException($"Expected a codebook index for each of {bins.Count} bins but got {binToValue.Count}.", nameof(binToValue));
        }

        var map = new ushort[binToValue.Count];
        for (int b = 0; b < map.Length; b++)
        {
            int v = binToValue[b];
            if (v < 0 || v > ushort.MaxValue)
            {
                throw new ArgumentException($"Bin {b} maps to codebook index {v}, outside 0..{ushort.MaxValue}.", nameof(binToValue));
            }

            map[b] = (ushort)v;
        }

        return map;
    }
}
