using WeightShare.Jobs.Data;
using WeightShare.Jobs.Runs;

namespace WeightShare.Web.Api;

/// <summary>A run as api.md shows it; <see cref="Phase"/> and <see cref="Progress"/> are additions for progress bars.</summary>
public sealed record RunInfo(
    string Id,
    string ModelId,
    string DatasetId,
    string Status,
    string Phase,
    double Progress,
    int Generation,
    int Generations,
    int Evaluations,
    int CacheHits,
    BaselineInfo Baseline,
    string? Error,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    RunSettings Settings,
    TimingsInfo Timings)
{
    public static RunInfo Of(Run run) => new(
        run.Id,
        run.ModelId,
        run.DatasetId,
        run.Status.ToString(),
        run.Phase.ToString(),
        run.Progress,
        run.Generation,
        run.Generations,
        run.Evaluations,
        run.CacheHits,
        new BaselineInfo(run.BaselineValidationAccuracy, run.BaselineTestAccuracy, run.BaselineSizeBytes),
        run.Error,
        run.CreatedAt,
        run.StartedAt,
        run.FinishedAt,
        RunSettings.FromJson(run.SettingsJson),
        new TimingsInfo(run.BaselineSeconds, run.SearchSeconds, run.MergeSeconds, run.FinishSeconds));
}
