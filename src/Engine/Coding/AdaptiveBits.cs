using System.Runtime.CompilerServices;

namespace WeightShare.Engine.Coding;

/// <summary>
/// The adaptive probabilities of a set of binary contexts, each the mean of two 15-bit estimates of the chance of a 0
/// that move towards every coded bit by 1/16 (fast) and 1/128 (slow) of the distance, as VVC's CABAC does: the fast one
/// follows local changes, the slow one holds the long-run rate. Every context starts at one half.
/// </summary>
internal sealed class AdaptiveBits
{
    /// <summary>Probabilities are fractions of 2^15.</summary>
    public const int PrecisionBits = 15;

    private const int One = 1 << PrecisionBits;
    private const int FastShift = 4;
    private const int SlowShift = 7;

    // Context c's fast estimate in the low 16 bits of entry c, its slow one in the high 16: one load and one store a bit.
    private readonly uint[] _estimates;

    public AdaptiveBits(int contexts)
    {
        _estimates = new uint[contexts];
        Array.Fill(_estimates, (One / 2) | ((uint)One / 2 << 16));
    }

    /// <summary>The chance of a 0 in context <paramref name="context"/>, in 1/2^15: always within [71, 32697].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ZeroProbability(int context)
    {
        var both = _estimates[context];
        return ((both & 0xFFFF) + (both >> 16)) >> 1;
    }

    /// <summary>Moves context <paramref name="context"/>'s estimates towards <paramref name="bit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Update(int context, int bit)
    {
        ref var both = ref _estimates[context];
        var fast = (int)(both & 0xFFFF);
        var slow = (int)(both >> 16);
        if (bit == 0)
        {
            fast += (One - fast) >> FastShift;
            slow += (One - slow) >> SlowShift;
        }
        else
        {
            fast -= fast >> FastShift;
            slow -= slow >> SlowShift;
        }
        both = (uint)fast | ((uint)slow << 16);
    }
}
