namespace WeightShare.Engine.Codecs;

/// <summary>The outcome of refining one front point.</summary>
/// <param name="Plan">The refined plan (the given one when nothing could be improved).</param>
/// <param name="ValidationMetric">The run's validation metric of <paramref name="Plan"/>, measured by the refinement.</param>
public sealed record Refinement(SolutionPlan Plan, double ValidationMetric);
