namespace WeightShare.Engine.Search;

/// <summary>The outcome of <see cref="MergeSearch.RunAsync"/>.</summary>
/// <param name="GroupStarts">Index of the first bin of every group, ascending, starting with 0.</param>
/// <param name="ValidationError">Validation error of that partition.</param>
/// <param name="Evaluations">Distinct partitions evaluated, including the initial one.</param>
public sealed record MergeResult(IReadOnlyList<int> GroupStarts, double ValidationError, int Evaluations);
