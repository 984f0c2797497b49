using WeightShare.Engine.Sharing;

namespace WeightShare.Engine.Benchmarks;

/// <summary>
/// Plain 1-D k-means (Lloyd): the reference the uniform-bin codebook is compared against, costing O(N log k) per
/// iteration instead of one O(N) pass.
/// </summary>
public static class KMeansCodebook
{
    /// <summary>The starting centroids for <paramref name="k"/> clusters, ascending and distinct (so possibly fewer than k).</summary>
    public static float[] Initialise(ReadOnlySpan<float> weights, int k, KMeansInit init)
    {
        if (weights.IsEmpty)
        {
            throw new InvalidInputException("There are no weights to cluster.");
        }

        if (init == KMeansInit.BinMeans)
        {
            return Codebook.FromBins(WeightBins.Assign(weights, k)).Values;
        }

        if (k < 1)
        {
            throw new InvalidInputException($"The number of clusters k must be at least 1; it was {k}.");
        }

        var sorted = weights.ToArray();
        Array.Sort(sorted);
        var centroids = new float[k];
        for (int j = 0; j < k; j++)
        {
            long at = (long)((j + 0.5) * sorted.Length / k);
            centroids[j] = sorted[Math.Min(at, sorted.Length - 1)];
        }

        return centroids.Distinct().Order().ToArray();
    }

    /// <summary>Runs <paramref name="iterations"/> Lloyd steps from <see cref="Initialise"/>.</summary>
    public static Codebook Fit(ReadOnlySpan<float> weights, int k, int iterations, KMeansInit init = KMeansInit.Quantiles) =>
        Fit(weights, Initialise(weights, k, init), iterations);

    /// <summary>
    /// Runs up to <paramref name="iterations"/> Lloyd steps (assign each weight to its nearest centroid, move each
    /// centroid to its members' mean) from <paramref name="initial"/>; stops early once nothing moves. A centroid
    /// that loses all members keeps its place.
    /// </summary>
    public static Codebook Fit(ReadOnlySpan<float> weights, IReadOnlyList<float> initial, int iterations)
    {
        ArgumentNullException.ThrowIfNull(initial);
        if (initial.Count == 0)
        {
            throw new ArgumentException("At least one initial centroid is needed.", nameof(initial));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        var centroids = initial.Order().ToArray();
        var sums = new double[centroids.Length];
        var counts = new long[centroids.Length];
        var bounds = new double[centroids.Length - 1];
        for (int t = 0; t < iterations; t++)
        {
            Array.Clear(sums);
            Array.Clear(counts);
            Midpoints(centroids, bounds);
            foreach (float w in weights)
            {
                int c = Nearest(bounds, w);
                sums[c] += w;
                counts[c]++;
            }

            bool moved = false;
            for (int c = 0; c < centroids.Length; c++)
            {
                if (counts[c] == 0)
                {
                    continue;
                }

                float mean = (float)(sums[c] / counts[c]);
                moved |= mean != centroids[c];
                centroids[c] = mean;
            }

            if (!moved)
            {
                break;
            }

            // Means of ordered clusters stay ordered, but rounding to float can tie two neighbours; sorting keeps the
            // midpoint search valid either way.
            Array.Sort(centroids);
        }

        return new Codebook(centroids);
    }

    /// <summary>The sum over weights of the squared distance to the nearest of <paramref name="values"/>.</summary>
    public static double SquaredError(ReadOnlySpan<float> weights, IReadOnlyList<float> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        var bounds = new double[sorted.Length - 1];
        Midpoints(sorted, bounds);
        double total = 0;
        foreach (float w in weights)
        {
            double d = (double)w - sorted[Nearest(bounds, w)];
            total += d * d;
        }

        return total;
    }

    private static void Midpoints(float[] sorted, double[] bounds)
    {
        for (int c = 0; c < bounds.Length; c++)
        {
            bounds[c] = ((double)sorted[c] + sorted[c + 1]) / 2;
        }
    }

    // Index of the first midpoint above w = index of the nearest centroid.
    private static int Nearest(double[] bounds, float w)
    {
        int lo = 0;
        int hi = bounds.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (w > bounds[mid])
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
