namespace WeightShare.Engine.Search;

/// <summary>Hypervolume (the area dominated by a set of points and bounded by a reference point) for minimisation.</summary>
public static class Hypervolume
{
    /// <summary>
    /// Area dominated by <paramref name="points"/> inside the box bounded above by <paramref name="reference"/>.
    /// Points not strictly better than the reference in both objectives, and NaN points, contribute nothing;
    /// dominated points and duplicates add nothing either.
    /// </summary>
    public static double Compute2D(IEnumerable<(double f1, double f2)> points, (double r1, double r2) reference)
    {
        ArgumentNullException.ThrowIfNull(points);
        var inside = points
            .Where(p => p.f1 < reference.r1 && p.f2 < reference.r2)
            .OrderBy(p => p.f1)
            .ThenBy(p => p.f2)
            .ToList();

        // Sweep along f1: each point that lowers the best f2 seen so far adds the strip between the two f2 levels,
        // which extends from its f1 to the reference.
        var area = 0.0;
        var level = reference.r2;
        foreach (var (f1, f2) in inside)
        {
            if (f2 < level)
            {
                area += (reference.r1 - f1) * (level - f2);
                level = f2;
            }
        }

        return area;
    }
}
