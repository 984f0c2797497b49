using System.Text.Json;
using WeightShare.Jobs.Events;

namespace WeightShare.Jobs.Data;

/// <summary>One committed NSGA-II generation with the state the search resumes from.</summary>
public sealed class Generation
{
    public long Id { get; set; }

    public required string RunId { get; set; }

    /// <summary>1-based; unique within a run, so a re-run job cannot write a generation twice.</summary>
    public int Number { get; set; }

    public double? Hypervolume { get; set; }

    /// <summary>Evaluations computed so far (cumulative).</summary>
    public int Evaluations { get; set; }

    /// <summary>Evaluations answered from the cache so far (cumulative).</summary>
    public int CacheHits { get; set; }

    /// <summary>Evaluations racing stopped early so far (cumulative); null in rows stored before racing.</summary>
    public int? RacedEvaluations { get; set; }

    /// <summary>Validation samples measured so far over every evaluation (cumulative); null in rows stored before racing.</summary>
    public long? ValidationSamplesEvaluated { get; set; }

    /// <summary>
    /// A racing search's every evaluation so far with the samples it used (the Engine's SampledEvaluation list as JSON),
    /// which the search resumes its racing from; null without racing.
    /// </summary>
    public string? RacingJson { get; set; }

    /// <summary>JSON array of <see cref="FrontPoint"/>; read it with <see cref="ReadPoints"/>.</summary>
    public required string PopulationJson { get; set; }

    /// <summary>JSON array of <see cref="FrontPoint"/>; read it with <see cref="ReadPoints"/>.</summary>
    public required string FrontJson { get; set; }

    /// <summary>The Engine's Nsga2State as JSON.</summary>
    public required string StateJson { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>
    /// The points of <see cref="PopulationJson"/> or <see cref="FrontJson"/> as written by any release: rows stored
    /// before codecs had genes carry only k and the metric as validationAccuracy, which become the parameter k and
    /// the validation metric.
    /// </summary>
    public static FrontPoint[] ReadPoints(string json) =>
        (JsonSerializer.Deserialize<StoredPoint[]>(json, JsonSerializerOptions.Web) ?? [])
        .Select(p => new FrontPoint(p.SharedValues, p.ValidationAccuracy)
        {
            Parameters = p.Parameters ?? (p.K is { } k ? new Dictionary<string, int> { ["k"] = k } : null),
            ValidationMetric = p.ValidationMetric ?? p.ValidationAccuracy,
            Bytes = p.Bytes,
            ValidationSamplesUsed = p.ValidationSamplesUsed,
        })
        .ToArray();

    private sealed record StoredPoint(int? K, int SharedValues, double ValidationAccuracy, IReadOnlyDictionary<string, int>? Parameters, double? ValidationMetric, long? Bytes, int? ValidationSamplesUsed);
}
