using WeightShare.Jobs.Data;

namespace WeightShare.Web.Api;

/// <summary>
/// One solution of the final front (api.md Solution). Figures are null while the run is still finishing it;
/// <see cref="Ready"/> says when both files can be downloaded. <see cref="Dominated"/> marks a solution that another
/// one beats after merging (fewer or equal shared values at higher or equal validation accuracy).
/// </summary>
public sealed record SolutionInfo(
    string Id,
    int K,
    int SharedValues,
    double ValidationAccuracy,
    double? TestAccuracy,
    double? BitsPerWeight,
    long? CompressedBytes,
    double? FileCompressionRatio,
    double? PaperCompressionRatio,
    bool Merged,
    bool Ready)
{
    public bool Dominated { get; init; }

    /// <summary>Marks each solution that another in the list dominates.</summary>
    public static IReadOnlyList<SolutionInfo> MarkDominated(IReadOnlyList<SolutionInfo> solutions) =>
        solutions.Select(s => s with
        {
            Dominated = solutions.Any(o => o.SharedValues <= s.SharedValues && o.ValidationAccuracy >= s.ValidationAccuracy
                && (o.SharedValues < s.SharedValues || o.ValidationAccuracy > s.ValidationAccuracy)),
        }).ToArray();

    public static SolutionInfo Of(Solution solution) => new(
        solution.Id,
        solution.K,
        solution.SharedValues,
        solution.ValidationAccuracy,
        solution.TestAccuracy,
        solution.BitsPerWeight,
        solution.CompressedBytes,
        solution.FileCompressionRatio,
        solution.PaperCompressionRatio,
        solution.Merged,
        solution.IsFinished);
}
