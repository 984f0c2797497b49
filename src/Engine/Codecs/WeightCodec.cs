using WeightShare.Engine.Wsz;

namespace WeightShare.Engine.Codecs;

/// <summary>
/// A way of representing the shared weights compactly: the one thing that varies between compression methods. A codec
/// declares the integer genes NSGA-II searches, turns genes into a <see cref="Quantization"/>, may refine a front
/// point, and decodes its own block of a .wsz file. The pipeline (phases, persistence, evaluation, files) is the same
/// for every codec. One instance serves one run or one decode; it may keep per-run caches in fields.
/// </summary>
public abstract class WeightCodec
{
    /// <summary>Stable id stored with runs and in .wsz version 2 files: 1 to 32 characters of a-z, 0-9 and '-'.</summary>
    public abstract string Id { get; }

    /// <summary>What the codec does, in a few words for the new-run page.</summary>
    public virtual string Summary => Id;

    /// <summary>The genes, with the widest bounds the codec accepts; a run may narrow them.</summary>
    public abstract IReadOnlyList<Gene> Genes { get; }

    /// <summary>
    /// Options a new run gets where it names none (<see cref="Compression.SettingsResolver.ForNewRun"/>), stored with
    /// its settings. An option left out means what it meant to earlier releases, so a run stored by one of them (and
    /// resumed by this one) writes the files it would have written.
    /// </summary>
    public virtual IReadOnlyDictionary<string, string> NewRunOptions { get; } = new Dictionary<string, string>();

    /// <summary>
    /// The settings the codec is meant to run with where the run leaves them open: by default the paper's (shared
    /// values as the second objective, every generation, no calibration).
    /// </summary>
    public virtual CodecDefaults Defaults => new(Compression.SizeObjective.SharedValues, Patience: 0, Calibrates: false);

    /// <summary>How the .wsz residual is compressed; the paper codec deflates (version 1), others may choose Brotli.</summary>
    public virtual Wsz.WszResidualCoding ResidualCoding => Wsz.WszResidualCoding.Deflate;

    /// <summary>
    /// True when the run's files are made from a copy of the TorchScript upload without its debug tables (see
    /// <see cref="Checkpoints.TorchScriptSlimmer"/>): the .wsz decodes to that copy. The default keeps the upload whole.
    /// </summary>
    public virtual bool DropsDebugTables => false;

    /// <summary>True when the codec takes the option <c>debug</c> = <c>keep</c> | <c>drop</c> (see <see cref="DropsDebugTables"/>).</summary>
    public virtual bool CanDropDebugTables => false;

    /// <summary>What the codec calls its calibration in progress lines ("calibration step 10 of 300").</summary>
    public virtual string CalibrationName => "calibration";

    /// <summary>The word that marks a refined solution in names and tables (the paper codec: "merged").</summary>
    public virtual string RefinementLabel => "refined";

    /// <summary>
    /// The genes for these weights: the codec may fix genes that cannot change anything for them (the default keeps
    /// <see cref="Genes"/>).
    /// </summary>
    public virtual IReadOnlyList<Gene> GenesFor(SharedWeights weights) => Genes;

    /// <summary>
    /// Applies a run's codec options (the levers a codec lets a user switch, e.g. for an ablation). The default takes
    /// none: any option is refused.
    /// </summary>
    /// <exception cref="InvalidInputException">An option is unknown or has a value the codec does not take.</exception>
    public virtual void Configure(IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Count > 0)
        {
            throw new InvalidInputException($"The {Id} codec takes no options (got {string.Join(", ", options.Keys)}).");
        }
    }

    /// <summary>The most shared values any solution within <paramref name="genes"/> can have: the hypervolume's reference for that objective.</summary>
    public abstract int MaxSharedValues(IReadOnlyList<Gene> genes);

    /// <summary>The representation <paramref name="plan"/> describes for <paramref name="weights"/>.</summary>
    /// <exception cref="InvalidInputException">The plan does not fit this codec or these weights.</exception>
    public abstract Quantization Quantize(SharedWeights weights, SolutionPlan plan);

    /// <summary>
    /// Improves a front point after the search, judged by <see cref="RefineContext.ValidationError"/>. The default has
    /// nothing to refine and returns null.
    /// </summary>
    public virtual Task<Refinement?> RefineAsync(SharedWeights weights, SolutionPlan plan, RefineContext context, CancellationToken cancellationToken) =>
        Task.FromResult<Refinement?>(null);

    /// <summary>
    /// Which front points become solutions and which are refined: for a run that calibrates, a bisection over the
    /// front for the smallest point that holds the target; otherwise every front point, refined (merged) where it keeps
    /// the baseline, unless the codec's refinement is calibration, which this run cannot do.
    /// </summary>
    /// <param name="calibrating">True when the run calibrates (<see cref="Compression.ResolvedSettings.Calibrates"/>).</param>
    public virtual Pipeline.FrontRefinement FrontRefinementFor(bool calibrating) =>
        calibrating ? new Pipeline.CalibrationBisection() : new Pipeline.EveryFrontPoint(refines: !Defaults.Calibrates);

    /// <summary>
    /// A reader that rebuilds every shared weight from this codec's block, segment after segment, a chunk at a time
    /// (memory bounded by the block and the chunk, not by the weights the segments claim). Trusts nothing in the block.
    /// </summary>
    /// <exception cref="InvalidInputException">The block is corrupt or does not fit the segments.</exception>
    public abstract SharedWeightReader OpenReader(byte[] block, IReadOnlyList<WszSegment> segments);

    /// <summary>
    /// Checks a block before anything is decoded, so a reader can refuse a broken file early; the default accepts any
    /// block and leaves the checks to <see cref="OpenReader"/>.
    /// </summary>
    /// <exception cref="InvalidInputException">The block cannot be decoded.</exception>
    public virtual void Validate(ReadOnlySpan<byte> block, IReadOnlyList<WszSegment> segments)
    {
    }
}
