using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Codecs;

/// <summary>The outcome of refining one front point.</summary>
/// <param name="Plan">The refined plan (the given one when nothing could be improved).</param>
/// <param name="ValidationMetric">The run's validation metric of <paramref name="Plan"/>, measured by the refinement.</param>
public sealed record Refinement(SolutionPlan Plan, double ValidationMetric)
{
    /// <summary>
    /// The loss of <see cref="Plan"/> against the uploaded model on the whole validation split, with its 95 % interval;
    /// null where the refinement measured none (a merge, or a metric that pairs no outcomes).
    /// </summary>
    public LossInterval? ValidationLoss { get; init; }
}
