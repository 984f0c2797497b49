using WeightShare.Jobs.Data;

namespace WeightShare.Web.Api;

/// <summary>
/// One solution of the final front (api.md Solution). Figures are null while the run is still finishing it;
/// <see cref="Ready"/> says when both files can be downloaded.
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
