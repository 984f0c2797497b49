namespace WeightShare.Web.Api;

/// <summary>
/// A line of the runs list: the run, its model's and data's file names, and the file compression ratio of its
/// recommended solution (chosen on validation intervals; see <see cref="RunInfo.RecommendedSolutionId"/>).
/// </summary>
public sealed record RunSummary(RunInfo Run, string ModelFileName, string DatasetFileName, double? RecommendedRatio)
{
    public TimeSpan? Duration => Run.StartedAt is { } started ? (Run.FinishedAt ?? DateTime.UtcNow) - started : null;
}
