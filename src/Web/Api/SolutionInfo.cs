using System.Text.Json;
using WeightShare.Jobs.Data;

namespace WeightShare.Web.Api;

/// <summary>
/// One solution of the final front (api.md Solution). <see cref="Codec"/> made it; <see cref="Parameters"/> holds the
/// codec's genes by name and <see cref="K"/> the gene k for codecs that have one. <see cref="ValidationMetric"/> is the
/// run's metric (accuracy or macro-F1); <see cref="ValidationAccuracy"/> is top-1 accuracy once the solution is
/// finished (the metric before, as earlier releases had it). Figures are null while the run is still finishing it;
/// <see cref="Ready"/> says when both files can be downloaded. <see cref="Dominated"/> marks a solution that another
/// one beats after refinement (no more shared values at a higher or equal validation metric, better in one).
/// </summary>
public sealed record SolutionInfo(
    string Id,
    string Codec,
    IReadOnlyDictionary<string, int> Parameters,
    string Description,
    int? K,
    int SharedValues,
    double ValidationMetric,
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

    /// <summary>
    /// Marks each solution that another in the list dominates, in the run's own size objective: file bytes for a run
    /// that minimised bytes (solutions not yet written are compared by shared values), shared values otherwise.
    /// </summary>
    public static IReadOnlyList<SolutionInfo> MarkDominated(IReadOnlyList<SolutionInfo> solutions, bool bytes = false)
    {
        double Size(SolutionInfo s) => bytes && s.CompressedBytes is { } b ? b : s.SharedValues;
        var comparable = !bytes || solutions.All(s => s.CompressedBytes is not null);
        return solutions.Select(s => s with
        {
            Dominated = solutions.Any(o => (comparable ? Size(o) : o.SharedValues) <= (comparable ? Size(s) : s.SharedValues) && o.ValidationMetric >= s.ValidationMetric
                && ((comparable ? Size(o) : o.SharedValues) < (comparable ? Size(s) : s.SharedValues) || o.ValidationMetric > s.ValidationMetric)),
        }).ToArray();
    }

    public static SolutionInfo Of(Solution solution) => new(
        solution.Id,
        solution.Codec,
        JsonSerializer.Deserialize<Dictionary<string, int>>(solution.ParametersJson) ?? [],
        solution.Description,
        solution.K,
        solution.SharedValues,
        solution.ValidationMetric,
        solution.ValidationAccuracy,
        solution.TestAccuracy,
        solution.BitsPerWeight,
        solution.CompressedBytes,
        solution.FileCompressionRatio,
        solution.PaperCompressionRatio,
        solution.Merged,
        solution.IsFinished);
}
