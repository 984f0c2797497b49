namespace WeightShare.Engine.Codecs.Additive;

/// <summary>
/// How shared tensors are cut into vectors of d consecutive weights along their contiguous layout: each tensor on its
/// own, its short tail padded with zeros that are never written back.
/// </summary>
internal sealed class VectorLayout
{
    private readonly long[] _counts;

    public VectorLayout(IEnumerable<long> elementCounts, int d)
    {
        ArgumentNullException.ThrowIfNull(elementCounts);
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        _counts = elementCounts.ToArray();
        D = d;
        Starts = new long[_counts.Length + 1];
        for (var t = 0; t < _counts.Length; t++)
        {
            Starts[t + 1] = Starts[t] + ((_counts[t] + d - 1) / d);
        }
    }

    /// <summary>Weights per vector.</summary>
    public int D { get; }

    /// <summary>Where each tensor's vectors start, and the total at the end.</summary>
    public long[] Starts { get; }

    /// <summary>Vectors in all.</summary>
    public long Vectors => Starts[^1];

    /// <summary>Elements of all tensors.</summary>
    public long Elements => _counts.Sum();

    /// <summary>Elements of tensor <paramref name="tensor"/>.</summary>
    public long CountOf(int tensor) => _counts[tensor];

    /// <summary>The pool of vectors of <paramref name="weights"/> (concatenated tensors), row-major.</summary>
    public float[] Pool(ReadOnlySpan<float> weights)
    {
        var pool = new float[checked((int)(Vectors * D))];
        long at = 0;
        for (var t = 0; t < _counts.Length; t++)
        {
            weights.Slice((int)at, (int)_counts[t]).CopyTo(pool.AsSpan((int)(Starts[t] * D)));
            at += _counts[t];
        }
        return pool;
    }
}
