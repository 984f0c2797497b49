namespace WeightShare.Web.Api;

/// <summary>
/// A line of the runs list: the run, its model's file name, and the best file compression ratio among solutions
/// whose test accuracy is within one point of the baseline's.
/// </summary>
public sealed record RunSummary(RunInfo Run, string ModelFileName, string DatasetFileName, double? BestRatioWithinOnePoint)
{
    /// <summary>
    /// The largest file ratio among <paramref name="solutions"/> whose test accuracy is within one point of
    /// <paramref name="baselineTest"/>; null without a baseline or such a solution.
    /// </summary>
    public static double? BestRatio(double? baselineTest, IEnumerable<(double? TestAccuracy, double? FileCompressionRatio)> solutions) =>
        baselineTest is not { } baseline
            ? null
            : solutions.Where(s => s.TestAccuracy >= baseline - 0.01 && s.FileCompressionRatio is not null).Max(s => s.FileCompressionRatio);

    public TimeSpan? Duration => Run.StartedAt is { } started ? (Run.FinishedAt ?? DateTime.UtcNow) - started : null;
}
