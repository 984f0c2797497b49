namespace WeightShare.Jobs.Events;

/// <summary>
/// One member of a population or front as api.md shows it. <see cref="ValidationAccuracy"/> is the run's validation
/// metric (accuracy, or macro-F1 when the run maximises that), i.e. 1 - the first objective, as it always was;
/// <see cref="ValidationMetric"/> holds the same figure under its honest name. <see cref="Parameters"/> has every gene
/// by name (rows stored before codecs had genes hold only k; the API reads that back as the parameter k).
/// </summary>
public sealed record FrontPoint(int SharedValues, double ValidationAccuracy)
{
    public IReadOnlyDictionary<string, int>? Parameters { get; init; }

    public double? ValidationMetric { get; init; }

    /// <summary>The .wsz file's bytes, when the run's search minimises bytes; null otherwise.</summary>
    public long? Bytes { get; init; }

    /// <summary>
    /// Validation samples its evaluation used: the whole split unless racing stopped it early; null in a data-free run
    /// and in points stored before racing.
    /// </summary>
    public int? ValidationSamplesUsed { get; init; }
}
