namespace WeightShare.Engine.Compression;

/// <summary>What to build for one solution: k uniform bins, optionally merged into the given groups of bins.</summary>
/// <param name="K">Uniform bins.</param>
/// <param name="GroupStarts">First bin of each merged group, or null for no merge.</param>
public sealed record SolutionPlan(int K, IReadOnlyList<int>? GroupStarts)
{
    /// <summary>True when neighbouring bins were merged.</summary>
    public bool Merged => GroupStarts is not null;
}
