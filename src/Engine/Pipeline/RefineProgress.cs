using WeightShare.Engine.Codecs;

namespace WeightShare.Engine.Pipeline;

/// <summary>An accepted refinement step of one front point.</summary>
/// <param name="Parameters">The genes of the point being refined.</param>
/// <param name="Step">The step.</param>
public sealed record RefineProgress(IReadOnlyDictionary<string, int> Parameters, RefineStep Step);
