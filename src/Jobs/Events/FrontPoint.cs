namespace WeightShare.Jobs.Events;

/// <summary>
/// One member of a population or front as api.md shows it. <see cref="ValidationAccuracy"/> is the run's validation
/// metric (accuracy, or macro-F1 when the run maximises that), i.e. 1 - the first objective.
/// </summary>
public sealed record FrontPoint(int K, int SharedValues, double ValidationAccuracy);
