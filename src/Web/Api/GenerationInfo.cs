using System.Text.Json;
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
        Points(row.PopulationJson),
        Points(row.FrontJson));

    // Rows stored before codecs had genes carry only k: their parameters and metric follow from what they hold.
    private static FrontPoint[] Points(string json) =>
        (JsonSerializer.Deserialize<FrontPoint[]>(json, JsonSerializerOptions.Web) ?? [])
        .Select(p => p with
        {
            Parameters = p.Parameters ?? (p.K is { } k ? new Dictionary<string, int> { ["k"] = k } : null),
            ValidationMetric = p.ValidationMetric ?? p.ValidationAccuracy,
        })
        .ToArray();

    public static GenerationInfo Of(GenerationCompleted generation) => new(
        generation.RunId,
        generation.Generation,
        generation.Hypervolume,
        generation.Evaluations,
        generation.CacheHits,
        generation.Population,
        generation.Front);
}
