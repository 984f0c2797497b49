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
    /// <summary>Evaluations racing stopped early so far (cumulative); null for generations stored before racing.</summary>
    public int? RacedEvaluations { get; init; }

    /// <summary>Validation samples measured so far over every evaluation (cumulative); null for generations stored before racing.</summary>
    public long? ValidationSamplesEvaluated { get; init; }

    public static GenerationInfo Of(Generation row) => new(
        row.RunId,
        row.Number,
        row.Hypervolume,
        row.Evaluations,
        row.CacheHits,
        Jobs.Data.Generation.ReadPoints(row.PopulationJson),
        Jobs.Data.Generation.ReadPoints(row.FrontJson))
    {
        RacedEvaluations = row.RacedEvaluations,
        ValidationSamplesEvaluated = row.ValidationSamplesEvaluated,
    };

    public static GenerationInfo Of(GenerationCompleted generation) => new(
        generation.RunId,
        generation.Generation,
        generation.Hypervolume,
        generation.Evaluations,
        generation.CacheHits,
        generation.Population,
        generation.Front)
    {
        RacedEvaluations = generation.RacedEvaluations,
        ValidationSamplesEvaluated = generation.ValidationSamplesEvaluated,
    };
}
