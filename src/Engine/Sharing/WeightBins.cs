using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WeightShare.Engine.Sharing;

/// <summary>
/// The paper's uniform-bin assignment: [min, max] of the shared weights cut into k equal-width bins, each weight
/// placed in its bin, empty bins dropped and the rest renumbered 0..Count-1 from the lowest to the highest.
/// </summary>
public sealed class WeightBins
{
    /// <summary>The largest k: bin numbers are stored as <see cref="ushort"/>.</summary>
    public const int MaxK = ushort.MaxValue;

    private WeightBins(int k, float min, float max, double width, ushort[] binOfWeight, double[] sums, long[] counts)
    {
        K = k;
        Min = min;
        Max = max;
        Width = width;
        BinOfWeight = binOfWeight;
        Sums = sums;
        Counts = counts;
    }

    /// <summary>The requested number of equal-width bins.</summary>
    public int K { get; }

    /// <summary>The smallest weight.</summary>
    public float Min { get; }

    /// <summary>The largest weight.</summary>
    public float Max { get; }

    /// <summary>The width of one of the k bins, (Max - Min) / K, or 0 when all weights are equal.</summary>
    public double Width { get; }

    /// <summary>For each weight, its non-empty bin number in 0..Count-1.</summary>
    public ushort[] BinOfWeight { get; }

    /// <summary>For each non-empty bin, the sum of its weights.</summary>
    public double[] Sums { get; }

    /// <summary>For each non-empty bin, how many weights it holds (never 0).</summary>
    public long[] Counts { get; }

    /// <summary>The number of non-empty bins, m.</summary>
    public int Count => Counts.Length;

    /// <summary>Assigns <paramref name="weights"/> to <paramref name="k"/> uniform bins.</summary>
    /// <exception cref="InvalidInputException">k outside 1..65535, no weights, or a weight that is NaN or infinite.</exception>
    public static WeightBins Assign(ReadOnlySpan<float> weights, int k) =>
        Assign(weights, k, new ushort[weights.Length]);

    /// <summary>
    /// Assigns <paramref name="weights"/> to <paramref name="k"/> uniform bins, writing the bin numbers into
    /// <paramref name="buffer"/> (length = weights.Length) so a search over many k allocates it once. The returned
    /// object's <see cref="BinOfWeight"/> is that buffer: it is overwritten by the next call that reuses it.
    /// </summary>
    /// <exception cref="InvalidInputException">k outside 1..65535, no weights, or a weight that is NaN or infinite.</exception>
    public static WeightBins Assign(ReadOnlySpan<float> weights, int k, ushort[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (k < 1 || k > MaxK)
        {
            throw new InvalidInputException($"The number of bins k must be between 1 and {MaxK}; it was {k}.");
        }

        if (weights.IsEmpty)
        {
            throw new InvalidInputException("There are no shared weights to assign to bins.");
        }

        if (buffer.Length != weights.Length)
        {
            throw new ArgumentException($"The bin buffer holds {buffer.Length} entries but there are {weights.Length} weights.", nameof(buffer));
        }

        var (min, max) = MinMax(weights);
        if (!float.IsFinite(min) || !float.IsFinite(max))
        {
            throw new InvalidInputException("The shared weights contain an infinite or NaN value.");
        }

        double range = (double)max - min;
        double width = range / k;
        var rawSums = new double[k];
        var rawCounts = new long[k];
        if (range == 0)
        {
            // One value only: dividing by a zero width would put everything at bin NaN.
            Array.Clear(buffer);
            rawSums[0] = (double)min * weights.Length;
            rawCounts[0] = weights.Length;
            CheckNoNaN(weights);
        }
        else
        {
            AssignRange(weights, min, width, k, buffer, rawSums, rawCounts);
        }

        return Compact(k, min, max, range == 0 ? 0 : width, buffer, rawSums, rawCounts);
    }

    private static void AssignRange(ReadOnlySpan<float> weights, float min, double width, int k, ushort[] bins, double[] sums, long[] counts)
    {
        // Two sets of accumulators for even and odd weights: neighbouring weights often share a bin, and one set
        // would chain every add on the previous one's store.
        int last = k - 1;
        var oddSums = new double[k];
        var oddCounts = new long[k];
        var binSpan = bins.AsSpan(0, weights.Length);
        int i = 0;
        for (; i + 1 < weights.Length; i += 2)
        {
            float w0 = weights[i];
            float w1 = weights[i + 1];
            int b0 = BinOf(w0, min, width, last);
            int b1 = BinOf(w1, min, width, last);
            binSpan[i] = (ushort)b0;
            binSpan[i + 1] = (ushort)b1;
            sums[b0] += w0;
            counts[b0]++;
            oddSums[b1] += w1;
            oddCounts[b1]++;
        }

        if (i < weights.Length)
        {
            int b = BinOf(weights[i], min, width, last);
            binSpan[i] = (ushort)b;
            sums[b] += weights[i];
            counts[b]++;
        }

        for (int b = 0; b < k; b++)
        {
            sums[b] += oddSums[b];
            counts[b] += oddCounts[b];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BinOf(float w, float min, double width, int last)
    {
        double offset = (double)w - min;

        // NaN fails this test: a NaN can slip past the vector min/max, whose NaN handling is platform-defined.
        if (!(offset >= 0))
        {
            throw new InvalidInputException("The shared weights contain a NaN value.");
        }

        int bin = (int)(offset / width);
        return bin > last ? last : bin;
    }

    private static void CheckNoNaN(ReadOnlySpan<float> weights)
    {
        foreach (float w in weights)
        {
            if (float.IsNaN(w))
            {
                throw new InvalidInputException("The shared weights contain a NaN value.");
            }
        }
    }

    private static WeightBins Compact(int k, float min, float max, double width, ushort[] bins, double[] rawSums, long[] rawCounts)
    {
        int used = 0;
        foreach (long c in rawCounts)
        {
            if (c != 0)
            {
                used++;
            }
        }

        if (used == k)
        {
            return new WeightBins(k, min, max, width, bins, rawSums, rawCounts);
        }

        var sums = new double[used];
        var counts = new long[used];
        var renumber = new ushort[k];
        int next = 0;
        for (int b = 0; b < k; b++)
        {
            if (rawCounts[b] != 0)
            {
                renumber[b] = (ushort)next;
                sums[next] = rawSums[b];
                counts[next] = rawCounts[b];
                next++;
            }
        }

        for (int i = 0; i < bins.Length; i++)
        {
            bins[i] = renumber[bins[i]];
        }

        return new WeightBins(k, min, max, width, bins, sums, counts);
    }

    internal static (float Min, float Max) MinMax(ReadOnlySpan<float> weights)
    {
        float min = float.PositiveInfinity;
        float max = float.NegativeInfinity;
        int i = 0;
        if (Vector.IsHardwareAccelerated && weights.Length >= Vector<float>.Count * 2)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(weights);
            var vmin = vectors[0];
            var vmax = vectors[0];
            for (int v = 1; v < vectors.Length; v++)
            {
                vmin = Vector.Min(vmin, vectors[v]);
                vmax = Vector.Max(vmax, vectors[v]);
            }

            for (int lane = 0; lane < Vector<float>.Count; lane++)
            {
                min = MathF.Min(min, vmin[lane]);
                max = MathF.Max(max, vmax[lane]);
            }

            i = vectors.Length * Vector<float>.Count;
        }

        for (; i < weights.Length; i++)
        {
            min = MathF.Min(min, weights[i]);
            max = MathF.Max(max, weights[i]);
        }

        return (min, max);
    }
}
