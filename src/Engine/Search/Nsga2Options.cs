namespace WeightShare.Engine.Search;

/// <summary>
/// Settings for <see cref="Nsga2.RunAsync"/>. The bounds are positional because they have no sensible default;
/// everything else defaults to the values of Deb et al. (2002) and the paper this product follows
/// (population 100, 100 generations, SBX p 0.9 / eta 15, polynomial mutation eta 20, probability 1/variables).
/// </summary>
/// <param name="LowerBounds">Inclusive lower bound of every integer decision variable.</param>
/// <param name="UpperBounds">Inclusive upper bound of every integer decision variable.</param>
public sealed record Nsga2Options(int[] LowerBounds, int[] UpperBounds)
{
    /// <summary>Target population size N (also the number of offspring made per generation).</summary>
    public int Population { get; init; } = 100;

    /// <summary>Number of generations including the evaluated initial population (generation 1).</summary>
    public int Generations { get; init; } = 100;

    /// <summary>Seed of the deterministic generator; the same seed gives the same run.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Probability that a pair of parents is recombined by SBX at all.</summary>
    public double CrossoverProbability { get; init; } = 0.9;

    /// <summary>Distribution index of simulated binary crossover.</summary>
    public double CrossoverEta { get; init; } = 15;

    /// <summary>Distribution index of polynomial mutation.</summary>
    public double MutationEta { get; init; } = 20;

    /// <summary>Per-variable mutation probability; null means 1 / number of variables.</summary>
    public double? MutationProbability { get; init; }

    /// <summary>
    /// Reference point (r1, r2) of the 2-D hypervolume in each report; null reports no hypervolume.
    /// The product uses (1.0, kMax).
    /// </summary>
    public double[]? HypervolumeReference { get; init; }

    /// <summary>
    /// How many rounds of mating a generation may spend replacing duplicate offspring before it goes on with fewer.
    /// </summary>
    public int MaxMatingAttempts { get; init; } = 100;

    /// <summary>
    /// Early stop: the search ends once the hypervolume of every point found so far has not grown for this many generations in a row
    /// (needs <see cref="HypervolumeReference"/>); 0 runs every generation, as the paper does.
    /// </summary>
    public int Patience { get; init; }

    /// <summary>
    /// The relative growth of the hypervolume that counts as progress for <see cref="Patience"/>: 0.001 means a
    /// generation must add a thousandth of the area so far.
    /// </summary>
    public double PatienceTolerance { get; init; } = 1e-3;
}
