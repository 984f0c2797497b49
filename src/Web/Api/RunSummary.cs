namespace WeightShare.Web.Api;

/// <summary>
/// A line of the runs list: the run, its model's file name, and the best file compression ratio among solutions
/// whose test accuracy is within one point of the baseline's.
/// </summary>
public sealed record RunSummary(RunInfo Run, string ModelFileName, string DatasetFileName, double? BestRatioWithinOnePoint)
{
    public TimeSpan? Duration => Run.StartedAt is { } started ? (Run.FinishedAt ?? DateTime.UtcNow) - started : null;
}
