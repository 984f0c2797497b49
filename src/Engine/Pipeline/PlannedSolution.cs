using WeightShare.Engine.Codecs;

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
    string Description);
