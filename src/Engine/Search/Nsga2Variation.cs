namespace WeightShare.Engine.Search;

/// <summary>
/// The variation operators of NSGA-II on real values, in the bounded forms of Deb's reference implementation:
/// crowded binary tournament, simulated binary crossover (Deb and Agrawal 1995) and polynomial mutation.
/// Integer variables are handled as pymoo does: vary as reals, then round and clip.
/// </summary>
internal static class Nsga2Variation
{
    private const double Epsilon = 1e-14;

    /// <summary>
    /// Binary tournament with the crowded-comparison operator (Deb et al. 2002, III-C): the lower rank wins, then the
    /// larger crowding distance; a full tie is decided by a coin.
    /// </summary>
    public static int Tournament(Xoshiro256StarStar rng, IReadOnlyList<Nsga2Member> population)
    {
        var n = population.Count;
        var a = rng.NextInt(n);
        if (n == 1)
        {
            return a;
        }

        var b = rng.NextInt(n - 1);
        if (b >= a)
        {
            b++;
        }

        var pa = population[a];
        var pb = population[b];
        if (pa.Rank != pb.Rank)
        {
            return pa.Rank < pb.Rank ? a : b;
        }

        if (pa.CrowdingDistance != pb.CrowdingDistance)
        {
            return pa.CrowdingDistance > pb.CrowdingDistance ? a : b;
        }

        return rng.NextDouble() < 0.5 ? a : b;
    }

    /// <summary>Bounded SBX: each variable is recombined with probability 0.5 when the parents differ in it.</summary>
    public static (double[] First, double[] Second) Crossover(
        Xoshiro256StarStar rng, int[] parent1, int[] parent2, int[] lower, int[] upper, double probability, double eta)
    {
        var c1 = parent1.Select(v => (double)v).ToArray();
        var c2 = parent2.Select(v => (double)v).ToArray();
        if (rng.NextDouble() > probability)
        {
            return (c1, c2);
        }

        for (var i = 0; i < c1.Length; i++)
        {
            if (rng.NextDouble() > 0.5 || Math.Abs(c1[i] - c2[i]) <= Epsilon)
            {
                continue;
            }

            var y1 = Math.Min(c1[i], c2[i]);
            var y2 = Math.Max(c1[i], c2[i]);
            double yl = lower[i];
            double yu = upper[i];
            var u = rng.NextDouble();

            // The spread factor's distribution is cut at the bounds so that children stay inside them.
            var low = 0.5 * ((y1 + y2) - SpreadFactor(u, 1.0 + (2.0 * (y1 - yl) / (y2 - y1)), eta) * (y2 - y1));
            var high = 0.5 * ((y1 + y2) + SpreadFactor(u, 1.0 + (2.0 * (yu - y2) / (y2 - y1)), eta) * (y2 - y1));
            low = Math.Clamp(low, yl, yu);
            high = Math.Clamp(high, yl, yu);
            if (rng.NextDouble() <= 0.5)
            {
                (c1[i], c2[i]) = (high, low);
            }
            else
            {
                (c1[i], c2[i]) = (low, high);
            }
        }

        return (c1, c2);
    }

    /// <summary>Bounded polynomial mutation of each variable with the given probability.</summary>
    public static void Mutate(Xoshiro256StarStar rng, double[] y, int[] lower, int[] upper, double probability, double eta)
    {
        for (var i = 0; i < y.Length; i++)
        {
            if (rng.NextDouble() > probability)
            {
                continue;
            }

            double yl = lower[i];
            double yu = upper[i];
            if (yu <= yl)
            {
                continue;
            }

            var delta1 = (y[i] - yl) / (yu - yl);
            var delta2 = (yu - y[i]) / (yu - yl);
            var u = rng.NextDouble();
            var power = 1.0 / (eta + 1.0);
            double deltaq;
            if (u <= 0.5)
            {
                var value = (2.0 * u) + ((1.0 - (2.0 * u)) * Math.Pow(1.0 - delta1, eta + 1.0));
                deltaq = Math.Pow(value, power) - 1.0;
            }
            else
            {
                var value = (2.0 * (1.0 - u)) + (2.0 * (u - 0.5) * Math.Pow(1.0 - delta2, eta + 1.0));
                deltaq = 1.0 - Math.Pow(value, power);
            }

            y[i] = Math.Clamp(y[i] + (deltaq * (yu - yl)), yl, yu);
        }
    }

    /// <summary>Rounds half to even (as numpy does) and clips into the bounds.</summary>
    public static int[] RoundAndClip(double[] y, int[] lower, int[] upper)
    {
        var x = new int[y.Length];
        for (var i = 0; i < y.Length; i++)
        {
            x[i] = (int)Math.Clamp(Math.Round(y[i], MidpointRounding.ToEven), lower[i], upper[i]);
        }

        return x;
    }

    private static double SpreadFactor(double u, double beta, double eta)
    {
        var alpha = 2.0 - Math.Pow(beta, -(eta + 1.0));
        return u <= 1.0 / alpha
            ? Math.Pow(u * alpha, 1.0 / (eta + 1.0))
            : Math.Pow(1.0 / (2.0 - (u * alpha)), 1.0 / (eta + 1.0));
    }
}
