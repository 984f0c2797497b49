namespace WeightShare.Engine.Compression;

/// <summary>
/// The NSGA-II settings of a run (design.md, the paper's defaults); kMin and kMax bound the gene k of codecs that have
/// one. <paramref name="Population"/> null takes the codec's (the paper's 100 for the paper codec).
/// <paramref name="Patience"/> stops the search once the hypervolume has been flat for that many generations (0 runs
/// every generation, as the paper does; null takes the codec's default).
/// </summary>
public sealed record SearchSettings(int? Population = null, int Generations = 100, int KMin = 2, int KMax = 1024, int Seed = 1, int? Patience = null)
{
    /// <summary>These settings with what they leave open filled in from <paramref name="defaults"/>.</summary>
    public SearchSettings WithDefaults(Codecs.CodecDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        return this with { Population = Population ?? defaults.Population, Patience = Patience ?? defaults.Patience };
    }
}
