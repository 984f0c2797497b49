namespace WeightShare.Engine.Search;

/// <summary>
/// Iterative merge of neighbouring bins (arXiv 2501.03095, "Iterative merge"): fewer shared values at no loss of validation
/// error. Pure over a callback, so the caller decides what a partition's error is (rebuild the codebook with each
/// group's mean, run the validation split).
/// </summary>
public static class MergeSearch
{
    /// <summary>
    /// Walks the groups from left to right. At position i it tries (a) merging group i into group i-1 and
    /// (b) merging group i+1 into group i, evaluates both, and keeps the lower-error one (a on a tie) when its error is
    /// at most the current error plus the tolerance; otherwise it moves on to i+1.
    /// After an accepted merge the walk stays at the same position i: after (a) the group now at i is the old i+1,
    /// which has not been tried yet, and after (b) group i has grown, so both of its merges are new candidates.
    /// Every accepted merge removes one group and every rejection advances i, so the walk ends after at most
    /// 2 x binCount - 1 positions and about 2 x binCount evaluations.
    /// </summary>
    /// <param name="binCount">Number of ordered bins; initially every bin is its own group.</param>
    /// <param name="validationError">Error of a partition given by its group start indices; lower is better.</param>
    /// <param name="options">Tolerance; null means the defaults.</param>
    /// <param name="progress">Told after every accepted merge.</param>
    /// <param name="cancellationToken">Checked before every evaluation.</param>
    public static async Task<MergeResult> RunAsync(
        int binCount,
        Func<IReadOnlyList<int>, CancellationToken, ValueTask<double>> validationError,
        MergeOptions? options,
        IProgress<MergeStep>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(validationError);
        options ??= new MergeOptions();
        if (binCount < 1)
        {
            throw new InvalidInputException($"Merging needs at least one bin, not {binCount}.");
        }

        if (!(options.Tolerance >= 0) || double.IsInfinity(options.Tolerance))
        {
            throw new InvalidInputException($"Merge tolerance must be a finite number >= 0, not {options.Tolerance}.");
        }

        // The walk can propose a partition it already rejected ((b) at i-1 equals (a) at i when nothing was merged
        // in between), and each evaluation is a pass over the validation set: remember them by partition.
        var cache = new Dictionary<IReadOnlyList<int>, double>(IntVectorComparer.Instance);
        async ValueTask<double> ErrorOfAsync(List<int> starts)
        {
            if (cache.TryGetValue(starts, out var known))
            {
                return known;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var snapshot = starts.ToArray();
            var error = await validationError(snapshot, cancellationToken).ConfigureAwait(false);
            cache.Add(snapshot, error);
            return error;
        }

        var current = Enumerable.Range(0, binCount).ToList();
        var currentError = await ErrorOfAsync(current).ConfigureAwait(false);
        var i = 0;
        while (i < current.Count)
        {
            List<int>? best = null;
            var bestError = double.PositiveInfinity;

            // (a) group i joins group i-1: its start disappears.
            if (i > 0)
            {
                var candidate = Without(current, i);
                var error = await ErrorOfAsync(candidate).ConfigureAwait(false);
                if (IsBetter(error, best is null ? null : bestError))
                {
                    (best, bestError) = (candidate, error);
                }
            }

            // (b) group i+1 joins group i: the start of group i+1 disappears.
            if (i + 1 < current.Count)
            {
                var candidate = Without(current, i + 1);
                var error = await ErrorOfAsync(candidate).ConfigureAwait(false);
                if (IsBetter(error, best is null ? null : bestError))
                {
                    (best, bestError) = (candidate, error);
                }
            }

            // NaN never passes this test, so an evaluator failure cannot be mistaken for an improvement.
            if (best is not null && bestError <= currentError + options.Tolerance)
            {
                (current, currentError) = (best, bestError);
                progress?.Report(new MergeStep(current.Count, currentError, cache.Count));
            }
            else
            {
                i++;
            }
        }

        return new MergeResult(current.ToArray(), currentError, cache.Count);
    }

    /// <summary>A NaN error never beats a real one, so a failed evaluation of (a) cannot hide a good (b).</summary>
    private static bool IsBetter(double error, double? bestSoFar) =>
        bestSoFar is not { } best || error < best || (double.IsNaN(best) && !double.IsNaN(error));

    private static List<int> Without(List<int> starts, int index)
    {
        var result = new List<int>(starts);
        result.RemoveAt(index);
        return result;
    }
}
