using WeightShare.Engine.Codecs;
using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Pipeline;

/// <summary>A solution of the final front as the refine phase left it: what to build and what it measured.</summary>
/// <param name="Plan">The genes and the codec's refinement record.</param>
/// <param name="Parameters">The genes by name.</param>
/// <param name="SharedValues">Distinct values (or codewords) after refinement.</param>
/// <param name="ValidationMetric">The run's validation metric after refinement.</param>
/// <param name="Description">The codec's one-line description.</param>
public sealed record PlannedSolution(
    SolutionPlan Plan,
    IReadOnlyDictionary<string, int> Parameters,
    int SharedValues,
    double ValidationMetric,
    string Description)
{
    /// <summary>
    /// A refined solution's loss against the uploaded model on the whole validation split, with its 95 % interval, as
    /// the refinement measured it (what the bisection accepted it by); null for a solution chosen unrefined, a merge, or
    /// a metric that pairs no outcomes.
    /// </summary>
    public LossInterval? ValidationLoss { get; init; }
}
