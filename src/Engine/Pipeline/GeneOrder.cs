namespace WeightShare.Engine.Pipeline;

/// <summary>Lexicographic order of gene vectors: the order solutions are refined, finished and listed in.</summary>
public sealed class GeneOrder : IComparer<IReadOnlyList<int>>
{
    /// <summary>The one instance.</summary>
    public static GeneOrder Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(IReadOnlyList<int>? x, IReadOnlyList<int>? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }
        for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
        {
            var c = x[i].CompareTo(y[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return x.Count.CompareTo(y.Count);
    }
}
