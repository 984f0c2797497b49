namespace WeightShare.Engine.Compression;

/// <summary>
/// The NSGA-II settings of a run (the paper's defaults: population 100, 100 generations). <paramref name="KMin"/> and
/// <paramref name="KMax"/> bound the gene k of codecs that have one (the v1 contract's fields, kept as its shorthand);
/// <see cref="Genes"/> bounds any gene by name. <paramref name="Population"/> null takes the codec's (100 for the
/// paper codec). <paramref name="Patience"/> stops the search once the hypervolume has been flat for that many
/// generations (0 runs every generation, as the paper does; null takes the codec's default).
/// </summary>
public sealed record SearchSettings(int? Population = null, int Generations = 100, int KMin = 2, int KMax = 1024, int Seed = 1, int? Patience = null)
{
    /// <summary>
    /// Bounds for the codec's genes by name, within the codec's own ranges, e.g. <c>{"zero": {"min": 0, "max": 1}}</c>;
    /// an entry for k takes precedence over <see cref="KMin"/> and <see cref="KMax"/>. Null or absent: the codec's ranges.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, GeneBounds>? Genes { get; init; }

    /// <summary>
    /// Races the search's evaluations: each candidate is measured on the validation split a chunk at a time and stops as
    /// soon as it is behind a point already measured on every sample (no larger, and a loss below the candidate's less
    /// one standard error: <see cref="Pipeline.RacingRule"/>), so that only points that may join the front cost a full
    /// measurement. Applies to
    /// metrics with a loss interval against the uploaded model (accuracy, agreement). Null takes the codec's (on for
    /// scalar and additive, off for paper); the resolver stores what the run does.
    /// </summary>
    public bool? Racing { get; init; }

    /// <summary>
    /// With racing, the most validation samples the search measures a candidate on (whole chunks, at least this many):
    /// enough to rank it against the front, while the final front is measured on every sample before anything is
    /// chosen or refined. Null: half the validation split, at least <see cref="Pipeline.RacingRule.LeastCandidateSamples"/>.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? CandidateSamples { get; init; }

    /// <summary>These settings with what they leave open filled in from <paramref name="defaults"/>.</summary>
    public SearchSettings WithDefaults(Codecs.CodecDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        return this with { Population = Population ?? defaults.Population, Patience = Patience ?? defaults.Patience };
    }
}
