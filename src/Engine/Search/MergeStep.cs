namespace WeightShare.Engine.Search;

/// <summary>Progress after an accepted merge.</summary>
/// <param name="Groups">Groups (shared values) left.</param>
/// <param name="ValidationError">Validation error of the current partition.</param>
/// <param name="Evaluations">Evaluations run so far, including the initial partition's.</param>
public sealed record MergeStep(int Groups, double ValidationError, int Evaluations);
