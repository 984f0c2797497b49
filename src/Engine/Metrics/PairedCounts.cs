namespace WeightShare.Engine.Metrics;

/// <summary>
/// The uploaded model and a compressed one scored on the same samples, each right or wrong: the 2×2 table of paired
/// outcomes from which the loss and its interval follow (only the discordant pairs tell the two apart).
/// </summary>
/// <param name="BothRight">Samples both models get right.</param>
/// <param name="OnlyOriginalRight">Samples only the uploaded model gets right (the compressed model's losses).</param>
/// <param name="OnlyCompressedRight">Samples only the compressed model gets right (its gains).</param>
/// <param name="BothWrong">Samples both models get wrong.</param>
public sealed record PairedCounts(long BothRight, long OnlyOriginalRight, long OnlyCompressedRight, long BothWrong)
{
    /// <summary>z of a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// True when the uploaded model's answers are the labels themselves (agreement): it is right on every sample by
    /// definition, so only the compressed model's share of agreement varies and the interval is Wilson's on that share.
    /// </summary>
    public bool AgainstOriginal { get; init; }

    /// <summary>Samples counted.</summary>
    public long Samples => BothRight + OnlyOriginalRight + OnlyCompressedRight + BothWrong;

    /// <summary>The accuracy the compressed model loses: (losses − gains) / samples.</summary>
    public double Loss => Samples == 0 ? 0 : (double)(OnlyOriginalRight - OnlyCompressedRight) / Samples;

    /// <summary>
    /// The loss with its 95 % interval by Newcombe's hybrid score method for paired proportions (Statistics in Medicine
    /// 17, 1998, method 10): Wilson intervals for each model's accuracy, combined with the correlation of the pairs. It
    /// keeps close to 95 % coverage where counts are small and never leaves [-1, 1].
    /// </summary>
    public LossInterval Interval() => Interval(Z95);

    /// <summary>
    /// The loss with its interval at the two-sided confidence <paramref name="z"/> stands for (1.96: 95 %); as
    /// <see cref="Interval()"/> otherwise. For agreement (<see cref="AgainstOriginal"/>) Wilson's interval on the share
    /// agreed.
    /// </summary>
    public LossInterval Interval(double z)
    {
        var n = (double)Samples;
        if (n == 0)
        {
            return new LossInterval(0, AgainstOriginal ? 0 : -1, 1);
        }
        if (AgainstOriginal)
        {
            var (agreeLower, agreeUpper) = Wilson(BothRight, n, z);
            return new LossInterval(1 - (BothRight / n), 1 - agreeUpper, 1 - agreeLower);
        }
        var (a, b, c, d) = ((double)BothRight, (double)OnlyOriginalRight, (double)OnlyCompressedRight, (double)BothWrong);
        var original = (a + b) / n;
        var compressed = (a + c) / n;
        var (l1, u1) = Wilson(a + b, n, z);
        var (l2, u2) = Wilson(a + c, n, z);
        var phi = Phi(a, b, c, d);
        var loss = original - compressed;
        var below = Math.Sqrt(Math.Max(0, Square(original - l1) - (2 * phi * (original - l1) * (u2 - compressed)) + Square(u2 - compressed)));
        var above = Math.Sqrt(Math.Max(0, Square(u1 - original) - (2 * phi * (u1 - original) * (compressed - l2)) + Square(compressed - l2)));
        return new LossInterval(loss, Math.Max(-1, loss - below), Math.Min(1, loss + above));
    }

    /// <summary>Wilson's score interval at 95 % for <paramref name="successes"/> of <paramref name="n"/>.</summary>
    public static (double Lower, double Upper) Wilson(double successes, double n) => Wilson(successes, n, Z95);

    /// <summary>Wilson's score interval at the two-sided confidence <paramref name="z"/> stands for.</summary>
    public static (double Lower, double Upper) Wilson(double successes, double n, double z)
    {
        if (n <= 0)
        {
            return (0, 1);
        }
        var p = successes / n;
        var centre = p + (z * z / (2 * n));
        var spread = z * Math.Sqrt((p * (1 - p) / n) + (z * z / (4 * n * n)));
        var scale = 1 + (z * z / n);
        return (Math.Max(0, (centre - spread) / scale), Math.Min(1, (centre + spread) / scale));
    }

    // The correlation of the pairs, with Newcombe's continuity correction of the numerator; 0 where a margin is empty.
    private static double Phi(double a, double b, double c, double d)
    {
        var margins = (a + b) * (c + d) * (a + c) * (b + d);
        if (margins <= 0)
        {
            return 0;
        }
        var numerator = (a * d) - (b * c);
        var n = a + b + c + d;
        var corrected = numerator > 0 ? Math.Max(0, numerator - (n / 2)) : numerator;
        return corrected / Math.Sqrt(margins);
    }

    private static double Square(double x) => x * x;
}
