using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Pipeline;

/// <summary>
/// When a racing evaluation stops: after each chunk of the validation split (class-balanced, the same order for every
/// candidate) the candidate's loss against the uploaded model on the samples so far gets an interval one standard error
/// wide on each side (<see cref="Z"/>), and the candidate stops once that interval's lower end lies above the loss of a
/// point measured on every sample that is no larger: it is then, beyond one standard error, no better than a point
/// the search already has at no more bytes, and cannot join the front; in a focused search
/// (<see cref="SearchFocus"/>) it stops too once its lower end lies beyond calibration's reach.
/// This is a rule for the search, not for what a user is offered: a stopped candidate keeps the figure its samples
/// gave (a noisier one), and a stopped point that still reaches the final front is measured on every sample before
/// anything is chosen from it, so a wrong stop costs the search a candidate's precision, never a pick its
/// reliability. Measured on the fixture CNN with 3,000 validation samples: a first version that asked for two 95 %
/// intervals to separate (Bonferroni over the looks) stopped a quarter of the candidates and measured 2,444 samples
/// per evaluation, more than twice the cost of 1,000 for every one; this rule stops two thirds of them at 1,515 per
/// evaluation and found a front as good. On synthetic counts a candidate a point better than the known point is stopped
/// in under a tenth of draws, one as good as it (which the known point weakly dominates) in about half.
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

    /// <summary>The fewest validation samples a search measures a candidate on by default (the whole split if smaller).</summary>
    public const int LeastCandidateSamples = 1000;

    /// <summary>
    /// The most validation samples a racing search measures a candidate on: <paramref name="setting"/>
    /// (<see cref="Compression.SearchSettings.CandidateSamples"/>), or half of the <paramref name="validationCount"/>
    /// samples but at least <see cref="LeastCandidateSamples"/>; never more than the split. A candidate measured that far
    /// is ranked, and raced against, as one measured on every sample; the final front is measured on every sample.
    /// Measured on the fixture CNN and the ResNet-18 with 3,000 validation samples: two thirds of the search's samples
    /// went to candidates that were never stopped, each on all 3,000.
    /// </summary>
    public static int CandidateSamples(int validationCount, int? setting) =>
        Math.Min(validationCount, setting ?? Math.Max(LeastCandidateSamples, validationCount / 2));

    /// <summary>The width of a look's interval in standard errors on each side: one.</summary>
    public const double Z = 1.0;

    /// <summary>
    /// True when a candidate of <paramref name="size"/> whose loss so far is <paramref name="partial"/> (at the
    /// interval of <see cref="Z"/>) is behind one of <paramref name="known"/>, points measured on every validation
    /// sample: one no larger whose loss lies below the candidate's lower end.
    /// </summary>
    public static bool Dominated(LossInterval partial, long size, IEnumerable<SampledEvaluation> known)
    {
        ArgumentNullException.ThrowIfNull(partial);
        ArgumentNullException.ThrowIfNull(known);
        return known.Any(point => point.Size <= size && point.Loss.Loss < partial.Lower);
    }

    /// <summary>
    /// True when a candidate whose loss so far is <paramref name="partial"/> (at the interval of <see cref="Z"/>) lies
    /// beyond <paramref name="reach"/>, the loss past which a focused search counts a point infeasible
    /// (<see cref="FrontSelection.CalibrationReach"/>): every feasible point then dominates it, whatever its size, so it
    /// cannot join the front. Null <paramref name="reach"/> (an unfocused search): never.
    /// </summary>
    public static bool BeyondReach(LossInterval partial, double? reach)
    {
        ArgumentNullException.ThrowIfNull(partial);
        return reach is { } limit && partial.Lower > limit;
    }
}
