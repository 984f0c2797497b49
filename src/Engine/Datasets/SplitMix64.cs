namespace WeightShare.Engine.Datasets;

/// <summary>
/// Steele, Lea and Flood's SplitMix64: a tiny generator whose output is fixed by its seed on every platform and .NET
/// version, which <see cref="Random"/> does not promise. Splits must not change when the runtime does.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, bound), without modulo bias.</summary>
    public ulong NextBelow(ulong bound)
    {
        var limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong value;
        do
        {
            value = Next();
        }
        while (value >= limit);
        return value % bound;
    }
}
