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

    // Fast and slow estimate of context c at 2c and 2c + 1.
    private readonly ushort[] _estimates;

    public AdaptiveBits(int contexts)
    {
        _estimates = new ushort[2 * contexts];
        Array.Fill(_estimates, (ushort)(One / 2));
    }

    /// <summary>The chance of a 0 in context <paramref name="context"/>, in 1/2^15: always within [71, 32697].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ZeroProbability(int context) => ((uint)_estimates[2 * context] + _estimates[(2 * context) + 1]) >> 1;

    /// <summary>Moves context <paramref name="context"/>'s estimates towards <paramref name="bit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Update(int context, int bit)
    {
        ref var fast = ref _estimates[2 * context];
        ref var slow = ref _estimates[(2 * context) + 1];
        if (bit == 0)
        {
            fast += (ushort)((One - fast) >> FastShift);
            slow += (ushort)((One - slow) >> SlowShift);
        }
        else
        {
            fast -= (ushort)(fast >> FastShift);
            slow -= (ushort)(slow >> SlowShift);
        }
    }
}
