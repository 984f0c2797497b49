using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Pipeline;

/// <summary>
/// The one rule that picks the solution a run recommends, on the validation split alone: the smallest file whose loss
/// against the uploaded model, by the upper end of its 95 % interval, is within the tolerance. The test split never
/// takes part; it only reports.
/// </summary>
public static class Recommendation
{
    /// <summary>
    /// The tolerance for a run's calibration.targetLoss: the target itself. It means what it says: the upper end of the
    /// 95 % interval of the loss on the validation split is within it (0.01, the default: the file loses at most one
    /// point, at 95 % confidence), so no stopgap is needed for a small split: where the split cannot resolve the target,
    /// no solution qualifies rather than one the noise let through. 0 asks for no loss at all at that confidence.
    /// </summary>
    public static double Tolerance(double targetLoss) => targetLoss;

    /// <summary>True when <paramref name="loss"/>'s upper end is within <paramref name="tolerance"/> (the rule for one solution).</summary>
    public static bool Within(LossInterval loss, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return loss.Upper <= tolerance + 1e-12;
    }

    /// <summary>
    /// The index of the recommended candidate: the smallest <paramref name="bytes"/> whose validation loss interval's
    /// upper end is at most <paramref name="tolerance"/>; null when none qualifies or none has an interval.
    /// </summary>
    public static int? Choose(IReadOnlyList<(long? Bytes, LossInterval? ValidationLoss)> candidates, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        int? best = null;
        for (var i = 0; i < candidates.Count; i++)
        {
            var (bytes, loss) = candidates[i];
            if (bytes is { } size && loss is { } interval && Within(interval, tolerance)
                && (best is null || size < candidates[best.Value].Bytes!.Value))
            {
                best = i;
            }
        }
        return best;
    }

    /// <summary>
    /// True when solution <paramref name="a"/> beats <paramref name="b"/> beyond the noise: no larger a file, and a
    /// validation loss whose interval lies wholly below the other's (only then is the difference more than chance).
    /// </summary>
    public static bool DominatesBeyondNoise(long aBytes, LossInterval a, long bBytes, LossInterval b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return aBytes <= bBytes && a.Upper < b.Lower;
    }
}
