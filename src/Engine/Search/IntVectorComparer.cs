namespace WeightShare.Engine.Search;

/// <summary>Compares integer vectors by value, so decision vectors and partitions can key dictionaries and sets.</summary>
internal sealed class IntVectorComparer : IEqualityComparer<int[]>, IEqualityComparer<IReadOnlyList<int>>
{
    public static readonly IntVectorComparer Instance = new();

    public bool Equals(int[]? x, int[]? y) => Equals((IReadOnlyList<int>?)x, y);

    public bool Equals(IReadOnlyList<int>? x, IReadOnlyList<int>? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || x.Count != y.Count)
        {
            return false;
        }

        for (var i = 0; i < x.Count; i++)
        {
            if (x[i] != y[i])
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(int[] obj) => GetHashCode((IReadOnlyList<int>)obj);

    public int GetHashCode(IReadOnlyList<int> obj)
    {
        var hash = new HashCode();
        foreach (var value in obj)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <summary>Lexicographic order, used to break ties deterministically.</summary>
    public static int CompareLexicographic(int[] x, int[] y)
    {
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            var c = x[i].CompareTo(y[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return x.Length.CompareTo(y.Length);
    }
}
