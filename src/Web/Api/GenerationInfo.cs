using WeightShare.Jobs.Data;
using WeightShare.Jobs.Events;

namespace WeightShare.Web.Api;

/// <summary>One committed generation (api.md GET /api/runs/{id}/generations and the hub's Generation message).</summary>
public sealed record GenerationInfo(
    string RunId,
    int Generation,
    double? Hypervolume,
    int Evaluations,
    int CacheHits,
    IReadOnlyList<FrontPoint> Population,
    IReadOnlyList<FrontPoint> Front)
{
    public static GenerationInfo Of(Generation row) => new(
        row.RunId,
        row.Number,
        row.Hypervolume,
        row.Evaluations,
        row.CacheHits,
        Jobs.Data.Generation.ReadPoints(row.PopulationJson),
        Jobs.Data.Generation.ReadPoints(row.FrontJson));

    public static GenerationInfo Of(GenerationCompleted generation) => new(
        generation.RunId,
        generation.Generation,
        generation.Hypervolume,
        generation.Evaluations,
        generation.CacheHits,
        generation.Population,
        generation.Front);
}
