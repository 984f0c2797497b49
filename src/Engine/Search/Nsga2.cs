namespace WeightShare.Engine.Search;

/// <summary>
/// NSGA-II (Deb, Pratap, Agarwal and Meyarivan, IEEE TEC 6(2), 2002) over integer decision vectors, minimising two
/// or more objectives. Evaluations go through a cache; every generation is reported together with a state from
/// which the run continues exactly as if it had never stopped.
/// </summary>
public static class Nsga2
{
    /// <summary>
    /// Runs the search, or continues it from <paramref name="resumeFrom"/> with the generation after the saved one.
    /// </summary>
    /// <param name="options">Bounds and parameters; invalid values raise <see cref="InvalidInputException"/>.</param>
    /// <param name="evaluate">Objective values of a decision vector (all minimised, at least two, never NaN).</param>
    /// <param name="onGeneration">
    /// Called after every generation, before the next starts, so report and state can be persisted together.
    /// Throwing <see cref="OperationCanceledException"/> here stops the run after that generation.
    /// </param>
    /// <param name="resumeFrom">A state delivered by an earlier run with the same options, or null to start anew.</param>
    /// <param name="cancellationToken">Checked before every evaluation.</param>
    /// <param name="onEvaluated">
    /// Told after each vector of a generation is scored (from the cache or computed): how many of how many, so a host
    /// can show progress within a generation.
    /// </param>
    public static async Task<Nsga2Result> RunAsync(
        Nsga2Options options,
        Func<int[], CancellationToken, ValueTask<double[]>> evaluate,
        Func<GenerationReport, Nsga2State, CancellationToken, ValueTask>? onGeneration,
        Nsga2State? resumeFrom,
        CancellationToken cancellationToken,
        Action<int, int>? onEvaluated = null)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        Validate(options);
        var lower = options.LowerBounds;
        var upper = options.UpperBounds;
        var cache = new EvaluationCache(evaluate);
        Xoshiro256StarStar rng;
        List<Nsga2Member> population;
        int generation;
        var progress = new HypervolumeProgress(options);

        if (resumeFrom is null)
        {
            rng = new Xoshiro256StarStar(options.Seed);

            // Step 1 of the main loop: a random parent population P0 in the paper; here spread evenly over the
            // bounds as the product's method prescribes, which is also deterministic.
            var initial = InitialPopulation(lower, upper, options.Population, rng);
            var evaluated = await EvaluateAllAsync(cache, initial, onEvaluated, cancellationToken).ConfigureAwait(false);

            // P0 is sorted by non-domination (and crowding, as pymoo does) so the first tournament has ranks to use.
            population = Survive(evaluated, options.Population);
            generation = 1;
            progress.Observe(evaluated);
            await DeliverAsync(options, generation, initial.Count, population, rng, cache, progress, onGeneration, cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            ValidateState(resumeFrom, lower, upper);
            rng = Xoshiro256StarStar.FromState(resumeFrom.RandomState);
            cache.Restore(resumeFrom.Cache, resumeFrom.EvaluationsComputed, resumeFrom.CacheHits);
            population = resumeFrom.Population
                .Select(m => new Nsga2Member(m.X.ToArray(), m.F.ToArray(), m.Rank, m.CrowdingDistance))
                .ToList();
            generation = resumeFrom.Generation;
            progress.Restore(resumeFrom);
        }

        var spaceSize = SpaceSize(lower, upper);
        while (generation < options.Generations && !progress.Exhausted)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Q_t = make-new-pop(P_t): selection, crossover and mutation with duplicates removed.
            var offspring = MakeOffspring(options, population, spaceSize, rng);
            var evaluatedOffspring = await EvaluateAllAsync(cache, offspring, onEvaluated, cancellationToken).ConfigureAwait(false);

            // R_t = P_t u Q_t, then P_t+1 = the best N of R_t by fronts and crowding distance.
            var combined = population.Select(m => new Individual(m.X, m.F)).Concat(evaluatedOffspring).ToList();
            population = Survive(combined, options.Population);
            generation++;
            progress.Observe(evaluatedOffspring);
            await DeliverAsync(options, generation, offspring.Count, population, rng, cache, progress, onGeneration, cancellationToken)
                .ConfigureAwait(false);
        }

        return new Nsga2Result(
            population.Select(m => new Individual(m.X.ToArray(), m.F.ToArray())).ToList(),
            FrontOf(population),
            generation,
            cache.Computed,
            cache.Hits)
        {
            StoppedEarly = generation < options.Generations,
        };
    }

    private static async Task<List<Individual>> EvaluateAllAsync(
        EvaluationCache cache, List<int[]> vectors, Action<int, int>? onEvaluated, CancellationToken cancellationToken)
    {
        var result = new List<Individual>(vectors.Count);
        foreach (var x in vectors)
        {
            result.Add(new Individual(x, await cache.GetAsync(x, cancellationToken).ConfigureAwait(false)));
            onEvaluated?.Invoke(result.Count, vectors.Count);
        }

        return result;
    }

    /// <summary>
    /// Per-variable linspace from lower to upper bound, rounded; duplicates are removed, so a space smaller than the
    /// population yields a smaller population covering it. With several variables, each one after the first is
    /// shuffled by the seeded generator (a Latin hypercube), so that the start does not lie on one diagonal of the box;
    /// one variable is the paper's plain linspace.
    /// </summary>
    private static List<int[]> InitialPopulation(int[] lower, int[] upper, int size, Xoshiro256StarStar rng)
    {
        var order = new int[lower.Length][];
        for (var v = 0; v < lower.Length; v++)
        {
            order[v] = Enumerable.Range(0, size).ToArray();
            for (var i = size - 1; v > 0 && i > 0; i--)
            {
                var j = (int)(rng.NextDouble() * (i + 1));
                (order[v][i], order[v][j]) = (order[v][j], order[v][i]);
            }
        }

        var seen = new HashSet<int[]>(IntVectorComparer.Instance);
        var result = new List<int[]>();
        for (var j = 0; j < size; j++)
        {
            var x = new int[lower.Length];
            for (var v = 0; v < x.Length; v++)
            {
                var t = (double)order[v][j] / (size - 1);
                var value = lower[v] + (t * ((double)upper[v] - lower[v]));
                x[v] = (int)Math.Clamp(Math.Round(value, MidpointRounding.ToEven), lower[v], upper[v]);
            }

            if (seen.Add(x))
            {
                result.Add(x);
            }
        }

        return result;
    }

    /// <summary>
    /// Makes up to N offspring. Children equal to a parent-population member or to an earlier child are dropped and
    /// mating repeats for the missing ones, at most <see cref="Nsga2Options.MaxMatingAttempts"/> rounds; a small
    /// space may then give fewer (or no) offspring, which keeps the loop finite.
    /// </summary>
    private static List<int[]> MakeOffspring(
        Nsga2Options options, List<Nsga2Member> population, long spaceSize, Xoshiro256StarStar rng)
    {
        var lower = options.LowerBounds;
        var upper = options.UpperBounds;
        var mutationProbability = options.MutationProbability ?? 1.0 / lower.Length;
        var seen = new HashSet<int[]>(population.Select(m => m.X), IntVectorComparer.Instance);
        var accepted = new List<int[]>();
        for (var attempt = 0; attempt < options.MaxMatingAttempts && accepted.Count < options.Population; attempt++)
        {
            // Every point of the space is already present: no child can be new.
            if (seen.Count >= spaceSize)
            {
                break;
            }

            var needed = options.Population - accepted.Count;
            var batch = new List<int[]>(needed + 1);
            while (batch.Count < needed)
            {
                var parent1 = population[Nsga2Variation.Tournament(rng, population)].X;
                var parent2 = population[Nsga2Variation.Tournament(rng, population)].X;
                var (child1, child2) = Nsga2Variation.Crossover(
                    rng, parent1, parent2, lower, upper, options.CrossoverProbability, options.CrossoverEta);
                foreach (var child in new[] { child1, child2 })
                {
                    // Round after crossover and again after mutation, as pymoo's RoundingRepair does.
                    var rounded = Nsga2Variation.RoundAndClip(child, lower, upper).Select(v => (double)v).ToArray();
                    Nsga2Variation.Mutate(rng, rounded, lower, upper, mutationProbability, options.MutationEta);
                    batch.Add(Nsga2Variation.RoundAndClip(rounded, lower, upper));
                }
            }

            foreach (var child in batch.Take(needed))
            {
                if (seen.Add(child))
                {
                    accepted.Add(child);
                }
            }
        }

        return accepted;
    }

    /// <summary>
    /// Environmental selection (Deb et al. 2002, III-C main loop): whole fronts are taken while they fit, the front
    /// that does not fit is sorted by crowding distance (descending, stable) and cut. Crowding distances are those
    /// computed over each whole front, which the next tournament uses.
    /// </summary>
    private static List<Nsga2Member> Survive(List<Individual> combined, int size)
    {
        var objectives = combined.Select(i => i.F).ToList();
        var fronts = ParetoRanking.SortFronts(objectives);
        var survivors = new List<Nsga2Member>(Math.Min(size, combined.Count));
        for (var rank = 0; rank < fronts.Count && survivors.Count < size; rank++)
        {
            var front = fronts[rank];
            var crowding = ParetoRanking.CrowdingDistances(objectives, front);
            var members = front.Select((index, k) => new Nsga2Member(combined[index].X, combined[index].F, rank, crowding[k]));
            if (survivors.Count + front.Count > size)
            {
                members = members.OrderByDescending(m => m.CrowdingDistance).Take(size - survivors.Count);
            }

            survivors.AddRange(members);
        }

        return survivors;
    }

    private static async Task DeliverAsync(
        Nsga2Options options,
        int generation,
        int offspringCount,
        List<Nsga2Member> population,
        Xoshiro256StarStar rng,
        EvaluationCache cache,
        HypervolumeProgress progress,
        Func<GenerationReport, Nsga2State, CancellationToken, ValueTask>? onGeneration,
        CancellationToken cancellationToken)
    {
        if (onGeneration is null)
        {
            return;
        }

        var front = FrontOf(population);
        var hypervolume = progress.Last;

        var report = new GenerationReport(
            generation,
            population.Select(m => new Individual(m.X.ToArray(), m.F.ToArray())).ToList(),
            front,
            hypervolume,
            offspringCount,
            cache.Computed,
            cache.Hits);
        var state = new Nsga2State(
            generation,
            population.Select(m => new Nsga2Member(m.X.ToArray(), m.F.ToArray(), m.Rank, m.CrowdingDistance)).ToList(),
            rng.GetState(),
            cache.Snapshot(),
            cache.Computed,
            cache.Hits)
        {
            BestHypervolume = progress.Best,
            StaleGenerations = progress.Stale,
        };
        await onGeneration(report, state, cancellationToken).ConfigureAwait(false);
    }

    private static List<Individual> FrontOf(List<Nsga2Member> population)
    {
        var front = population
            .Where(m => m.Rank == 0)
            .Select(m => new Individual(m.X.ToArray(), m.F.ToArray()))
            .ToList();
        front.Sort((a, b) =>
        {
            var c = a.F[1].CompareTo(b.F[1]);
            c = c != 0 ? c : a.F[0].CompareTo(b.F[0]);
            return c != 0 ? c : IntVectorComparer.CompareLexicographic(a.X, b.X);
        });
        return front;
    }

    /// <summary>Number of points in the box, saturating at long.MaxValue.</summary>
    internal static long SpaceSize(int[] lower, int[] upper)
    {
        long size = 1;
        for (var v = 0; v < lower.Length; v++)
        {
            var range = (long)upper[v] - lower[v] + 1;
            if (size > long.MaxValue / range)
            {
                return long.MaxValue;
            }

            size *= range;
        }

        return size;
    }

    private static void Validate(Nsga2Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.LowerBounds is null || options.UpperBounds is null || options.LowerBounds.Length == 0)
        {
            throw new InvalidInputException("NSGA-II needs lower and upper bounds for at least one variable.");
        }

        if (options.LowerBounds.Length != options.UpperBounds.Length)
        {
            throw new InvalidInputException(
                $"NSGA-II has {options.LowerBounds.Length} lower bounds but {options.UpperBounds.Length} upper bounds.");
        }

        for (var v = 0; v < options.LowerBounds.Length; v++)
        {
            if (options.LowerBounds[v] > options.UpperBounds[v])
            {
                throw new InvalidInputException(
                    $"NSGA-II variable {v}: lower bound {options.LowerBounds[v]} is above upper bound {options.UpperBounds[v]}.");
            }
        }

        if (options.Population < 2)
        {
            throw new InvalidInputException($"NSGA-II population must be at least 2, not {options.Population}.");
        }

        if (options.Generations < 1)
        {
            throw new InvalidInputException($"NSGA-II generations must be at least 1, not {options.Generations}.");
        }

        if (options.MaxMatingAttempts < 1)
        {
            throw new InvalidInputException($"NSGA-II mating attempts must be at least 1, not {options.MaxMatingAttempts}.");
        }

        if (!(options.CrossoverProbability is >= 0 and <= 1))
        {
            throw new InvalidInputException($"NSGA-II crossover probability must be in [0, 1], not {options.CrossoverProbability}.");
        }

        if (options.MutationProbability is { } pm && !(pm is >= 0 and <= 1))
        {
            throw new InvalidInputException($"NSGA-II mutation probability must be in [0, 1], not {pm}.");
        }

        if (!(options.CrossoverEta >= 0) || double.IsInfinity(options.CrossoverEta)
            || !(options.MutationEta >= 0) || double.IsInfinity(options.MutationEta))
        {
            throw new InvalidInputException("NSGA-II distribution indices (eta) must be finite and not negative.");
        }

        if (options.HypervolumeReference is { } reference && (reference.Length != 2 || !reference.All(double.IsFinite)))
        {
            throw new InvalidInputException("NSGA-II hypervolume reference must be two finite numbers.");
        }

        if (options.Patience < 0 || (options.Patience > 0 && options.HypervolumeReference is null))
        {
            throw new InvalidInputException($"NSGA-II patience must be 0 (off) or positive with a hypervolume reference, not {options.Patience}.");
        }
    }

    private static void ValidateState(Nsga2State state, int[] lower, int[] upper)
    {
        if (state.Generation < 1 || state.Population is not { Count: > 0 } || state.Cache is null
            || state.RandomState is null || state.EvaluationsComputed < 0 || state.CacheHits < 0)
        {
            throw new InvalidInputException("Saved search state is incomplete (generation, population, cache or counters).");
        }

        var objectiveCount = state.Population[0].F?.Length ?? 0;
        var vectors = state.Population.Select(m => (m?.X, m?.F)).Concat(state.Cache.Select(e => (e?.X, e?.F)));
        foreach (var (x, f) in vectors)
        {
            if (x is null || f is null || x.Length != lower.Length || f.Length != objectiveCount || objectiveCount < 2)
            {
                throw new InvalidInputException(
                    $"Saved search state does not match the search: every entry needs {lower.Length} variables and the same number (at least 2) of objectives.");
            }

            for (var v = 0; v < x.Length; v++)
            {
                if (x[v] < lower[v] || x[v] > upper[v])
                {
                    throw new InvalidInputException(
                        $"Saved search state holds variable {v} = {x[v]}, outside the bounds [{lower[v]}, {upper[v]}].");
                }
            }
        }
    }
}
