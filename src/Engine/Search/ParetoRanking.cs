namespace WeightShare.Engine.Search;

/// <summary>Fast non-dominated sorting and crowding distance, Deb et al. (2002) sections III-A and III-B.</summary>
internal static class ParetoRanking
{
    /// <summary>True when <paramref name="a"/> is no worse in every objective and strictly better in one.</summary>
    public static bool Dominates(double[] a, double[] b)
    {
        var strictlyBetter = false;
        for (var m = 0; m < a.Length; m++)
        {
            if (a[m] > b[m])
            {
                return false;
            }

            if (a[m] < b[m])
            {
                strictlyBetter = true;
            }
        }

        return strictlyBetter;
    }

    /// <summary>
    /// Splits the points into fronts F1, F2, ... (III-A): S_p holds the points p dominates, n_p counts those
    /// dominating p; points with n_p = 0 form F1, and removing a front releases the next. Each front is in index order.
    /// </summary>
    public static List<List<int>> SortFronts(IReadOnlyList<double[]> objectives)
    {
        var n = objectives.Count;
        var dominated = new List<int>[n];
        var dominationCount = new int[n];
        var fronts = new List<List<int>>();
        var current = new List<int>();
        for (var p = 0; p < n; p++)
        {
            dominated[p] = [];
            for (var q = 0; q < n; q++)
            {
                if (p == q)
                {
                    continue;
                }

                if (Dominates(objectives[p], objectives[q]))
                {
                    dominated[p].Add(q);
                }
                else if (Dominates(objectives[q], objectives[p]))
                {
                    dominationCount[p]++;
                }
            }

            if (dominationCount[p] == 0)
            {
                current.Add(p);
            }
        }

        while (current.Count > 0)
        {
            fronts.Add(current);
            var next = new List<int>();
            foreach (var p in current)
            {
                foreach (var q in dominated[p])
                {
                    if (--dominationCount[q] == 0)
                    {
                        next.Add(q);
                    }
                }
            }

            next.Sort();
            current = next;
        }

        return fronts;
    }

    /// <summary>
    /// Crowding distance of each member of one front (III-B), aligned with <paramref name="front"/>: per objective the
    /// extreme members get infinity and inner ones add the normalised gap between their neighbours. An objective
    /// whose range over the front is zero or infinite adds nothing to inner members, since normalising by it is undefined.
    /// </summary>
    public static double[] CrowdingDistances(IReadOnlyList<double[]> objectives, IReadOnlyList<int> front)
    {
        var size = front.Count;
        var distance = new double[size];
        if (size <= 2)
        {
            Array.Fill(distance, double.PositiveInfinity);
            return distance;
        }

        var objectiveCount = objectives[front[0]].Length;
        for (var m = 0; m < objectiveCount; m++)
        {
            // Stable sort by position keeps ties in a deterministic order, so a resumed run matches a straight one.
            var order = Enumerable.Range(0, size).OrderBy(i => objectives[front[i]][m]).ToArray();
            var min = objectives[front[order[0]]][m];
            var max = objectives[front[order[^1]]][m];
            distance[order[0]] = double.PositiveInfinity;
            distance[order[^1]] = double.PositiveInfinity;
            var range = max - min;
            if (!(range > 0) || double.IsInfinity(range))
            {
                continue;
            }

            for (var k = 1; k < size - 1; k++)
            {
                var gap = objectives[front[order[k + 1]]][m] - objectives[front[order[k - 1]]][m];
                distance[order[k]] += gap / range;
            }
        }

        return distance;
    }
}
