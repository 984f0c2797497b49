using WeightShare.Engine.Compression;
using System.Text.Json.Serialization;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Data;
using WeightShare.Jobs.Runs;

namespace WeightShare.Web.Api;

/// <summary>
/// A run as api.md shows it; <see cref="Phase"/> and <see cref="Progress"/> are additions for progress bars. Status and
/// phase are written by name as declared ("Succeeded", "Refine"), as api.md shows them.
/// </summary>
public sealed record RunInfo(
    string Id,
    string ModelId,
    string? DatasetId,
    [property: JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))] RunStatus Status,
    [property: JsonConverter(typeof(JsonStringEnumConverter<PipelinePhase>))] PipelinePhase Phase,
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
    /// <summary>True once the run cannot change again.</summary>
    [JsonIgnore]
    public bool IsFinal => Status.IsFinal();

    /// <summary>
    /// True for a run without a dataset: its metric is the weights' signal-to-noise ratio (weightSnr), its accuracy
    /// fields hold that ratio / 100 dB, and no model is run.
    /// </summary>
    public bool DataFree => DatasetId is null;

    /// <summary>The user's notes on the run.</summary>
    public string? Notes { get; init; }

    /// <summary>The worker process (WeightShare:WorkerName) that executes or last executed the run; null before one took it.</summary>
    public string? Worker { get; init; }

    /// <summary>
    /// The solution the run recommends: the smallest .wsz whose loss against the uploaded model on the validation split,
    /// by the upper end of its 95 % interval, is within calibration.targetLoss. Null until a
    /// solution qualifies. Chosen on validation alone: the test split only reports.
    /// </summary>
    public string? RecommendedSolutionId { get; init; }

    /// <summary>
    /// Search evaluations racing stopped before the last validation sample (search.racing); 0 without racing, null for
    /// runs stored before racing existed.
    /// </summary>
    public int? RacedEvaluations { get; init; }

    /// <summary>
    /// Validation samples the search's evaluations measured, over all of them (an evaluation on the whole split counts
    /// every sample); null for runs stored before racing existed. Solutions are always measured on the whole split.
    /// </summary>
    public long? ValidationSamplesEvaluated { get; init; }

    /// <summary>
    /// The loss against the uploaded model the recommendation tolerates (<see cref="Recommendation.Tolerance"/> of
    /// calibration.targetLoss): a solution qualifies when its validation interval's upper end is at most this.
    /// </summary>
    public double RecommendationTolerance => Recommendation.Tolerance(Settings.Calibration.TargetLoss);

    /// <summary>True once "Stop and keep" was asked for: the search ends at its last stored generation.</summary>
    public bool StopSearchRequested { get; init; }

    /// <summary>Search evaluations (model passes over validation) per second of search time; null before the search has any.</summary>
    public double? EvaluationsPerSecond => Timings.SearchSeconds > 0 && Evaluations > 0 ? Evaluations / Timings.SearchSeconds : null;

    public static RunInfo Of(Run run) => new(
        run.Id,
        run.ModelId,
        run.DatasetId,
        run.Status,
        run.Phase,
        run.Progress,
        run.Generation,
        run.Generations,
        run.Evaluations,
        run.CacheHits,
        new BaselineInfo(run.BaselineValidationAccuracy, run.BaselineTestAccuracy, run.BaselineSizeBytes)
        {
            ValidationMacroF1 = run.BaselineValidationMacroF1,
            TestMacroF1 = run.BaselineTestMacroF1,
        },
        run.Error,
        run.CreatedAt,
        run.StartedAt,
        run.FinishedAt,
        RunSettings.FromJson(run.SettingsJson),
        new TimingsInfo(run.BaselineSeconds, run.SearchSeconds, run.RefineSeconds, run.FinishSeconds))
    {
        Notes = run.Notes,
        Worker = run.Worker,
        StopSearchRequested = run.StopSearchRequested,
        RacedEvaluations = run.RacedEvaluations,
        ValidationSamplesEvaluated = run.ValidationSamplesEvaluated,
    };
}
