using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Pipeline;

/// <summary>
/// When a racing evaluation stops: after each chunk of the validation split (class-balanced, the same order for every
/// candidate) the candidate's loss against the uploaded model on the samples so far gets an interval at a stricter
/// confidence, and the candidate stops once that interval's lower end lies above the upper end of the 95 % interval of
/// a point measured on every sample that is no larger: the candidate is then worse beyond the noise, and cannot join
/// the front; in a focused search (<see cref="SearchFocus"/>) it stops too once its lower end lies beyond calibration's
/// reach, as every feasible point then dominates it. The stricter confidence is a Bonferroni correction over the looks a full measurement passes (one after
/// every chunk but the last): with a 5 % two-sided error spread over them, the chance that any look puts the candidate's
/// lower end above its true loss is at most 2.5 %, and the known point's upper end is below its true loss at most 2.5 %
/// of the time, so a candidate that is in truth no worse than the known point is stopped at most 5 % of the time, however
/// many looks there are. A fixed 99 % at every look would let that error grow with the split (a dozen looks at 3,000
/// samples); Bonferroni's cost is a wider interval (z 2.84 instead of 2.58 for 11 looks), which only delays stopping a
/// candidate that is close, not one that is clearly dominated.
/// </summary>
public static class RacingRule
{
    /// <summary>Samples a chunk aims at: a few hundred, enough for a clearly worse candidate to show it.</summary>
    public const int ChunkSamples = 250;

    /// <summary>The whole batches nearest <see cref="ChunkSamples"/> (at least one): a chunk's batches are a full measurement's.</summary>
    public static int Chunk(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return Math.Max(1, (int)Math.Round((double)ChunkSamples / batchSize)) * batchSize;
    }

    /// <summary>The looks at which a measurement of <paramref name="samples"/> in chunks of <paramref name="chunk"/> may stop: one after every chunk but the last.</summary>
    public static int Looks(int samples, int chunk)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunk);
        return Math.Max(0, (samples - 1) / chunk);
    }

    /// <summary>
    /// The z of each look's two-sided interval: Bonferroni's over <paramref name="looks"/>, a 5 % error shared
    /// equally (1.96 for one look, 2.39 for three, 2.84 for eleven).
    /// </summary>
    public static double Z(int looks) => NormalQuantile(1 - (0.025 / Math.Max(1, looks)));

    /// <summary>
    /// True when a candidate of <paramref name="size"/> whose loss so far is <paramref name="partial"/> (at the
    /// stricter confidence) is confidently dominated by one of <paramref name="known"/>, points measured on every
    /// validation sample: one no larger whose 95 % upper end lies below the candidate's lower end.
    /// </summary>
    public static bool Dominated(LossInterval partial, long size, IEnumerable<SampledEvaluation> known)
    {
        ArgumentNullException.ThrowIfNull(partial);
        ArgumentNullException.ThrowIfNull(known);
        return known.Any(point => Recommendation.DominatesBeyondNoise(point.Size, point.Loss, size, partial));
    }

    /// <summary>
    /// True when a candidate whose loss so far is <paramref name="partial"/> (at the stricter confidence) lies
    /// confidently beyond <paramref name="reach"/>, the loss past which a focused search counts a point infeasible
    /// (<see cref="FrontSelection.CalibrationReach"/>): every feasible point then dominates it, whatever its size, so it
    /// cannot join the front. Null <paramref name="reach"/> (an unfocused search): never.
    /// </summary>
    public static bool BeyondReach(LossInterval partial, double? reach)
    {
        ArgumentNullException.ThrowIfNull(partial);
        return reach is { } limit && partial.Lower > limit;
    }

    // The standard normal's quantile by bisection on its distribution function, which is integrated from 0 by Simpson's
    // rule: far more precise than a z needs, and no table to trust. Only called once per run.
    private static double NormalQuantile(double p)
    {
        var (low, high) = (0.0, 10.0);
        for (var i = 0; i < 60; i++)
        {
            var middle = (low + high) / 2;
            (low, high) = NormalCdf(middle) < p ? (middle, high) : (low, middle);
        }
        return (low + high) / 2;
    }

    private static double NormalCdf(double z)
    {
        const int intervals = 2000;
        var h = z / intervals;
        var sum = Density(0) + Density(z);
        for (var i = 1; i < intervals; i++)
        {
            sum += (i % 2 == 1 ? 4 : 2) * Density(i * h);
        }
        return 0.5 + (sum * h / 3);
    }

    private static double Density(double x) => Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);
}
