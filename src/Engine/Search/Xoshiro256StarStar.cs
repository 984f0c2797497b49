namespace WeightShare.Engine.Search;

/// <summary>
/// xoshiro256** (Blackman and Vigna) seeded through SplitMix64. System.Random cannot expose its state, and a
/// search that resumes after a crash must continue with exactly the random stream it would have used.
/// </summary>
internal sealed class Xoshiro256StarStar
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public Xoshiro256StarStar(int seed)
    {
        // SplitMix64 spreads a small seed over all 256 state bits and can never yield the all-zero state.
        var x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    private Xoshiro256StarStar(ulong[] state)
    {
        _s0 = state[0];
        _s1 = state[1];
        _s2 = state[2];
        _s3 = state[3];
    }

    /// <summary>Restores a generator from <see cref="GetState"/>; the all-zero state is a fixed point and is refused.</summary>
    public static Xoshiro256StarStar FromState(ulong[] state)
    {
        if (state is not { Length: 4 } || (state[0] | state[1] | state[2] | state[3]) == 0)
        {
            throw new InvalidInputException("Saved search state has an invalid random generator state (need 4 words, not all zero).");
        }

        return new Xoshiro256StarStar(state);
    }

    public ulong[] GetState() => [_s0, _s1, _s2, _s3];

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(unchecked(_s1 * 5), 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return unchecked(result);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, bound) without modulo bias (rejection on the 64-bit range).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 1)
        {
            return 0;
        }

        var b = (ulong)bound;
        var limit = ulong.MaxValue - (ulong.MaxValue % b);
        ulong r;
        do
        {
            r = NextUInt64();
        }
        while (r >= limit);
        return (int)(r % b);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        unchecked
        {
            x += 0x9E3779B97F4A7C15UL;
            var z = x;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
