namespace WeightShare.Jobs.Events;

/// <summary>
/// An accepted refinement step of one front solution (api.md hub message "Merge": the paper codec merges bins).
/// <see cref="Parameters"/> names every gene of the solution. <see cref="ValidationAccuracy"/> is the run's validation
/// metric after the step.
/// </summary>
public sealed record MergeStepCompleted(string RunId, int SharedValues, double ValidationAccuracy)
{
    public IReadOnlyDictionary<string, int>? Parameters { get; init; }

    /// <summary>The run's validation metric after the step (the same figure as <see cref="ValidationAccuracy"/>, by its honest name).</summary>
    public double ValidationMetric => ValidationAccuracy;
}
