namespace WeightShare.Engine.Pipeline;

/// <summary>A planned solution as a store hands it back when a run resumes.</summary>
/// <param name="Solution">What the refine phase stored.</param>
/// <param name="Finished">True once its figures and files are stored.</param>
public sealed record StoredSolution(PlannedSolution Solution, bool Finished);
