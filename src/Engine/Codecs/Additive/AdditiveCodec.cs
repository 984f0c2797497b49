using System.Globalization;
using System.Text.Json;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Wsz;

namespace WeightShare.Engine.Codecs.Additive;

/// <summary>
/// Cross-layer additive quantization (arXiv 2111.10320, Sun et al.): the shared weights of every layer cut into
/// vectors of d consecutive weights, all in one pool; each vector the sum of one codeword from each of M codebooks of
/// K codewords, learned on that pool (<see cref="AdditiveFit"/>); the codes rANS-coded per codebook, the codewords at
/// full precision. The search runs over d, M and log2 K without fine-tuning (one fine-tuning costs hundreds of forward
/// and backward passes: far more than NSGA-II's budget allows); the refinement fine-tunes the codewords and the unshared
/// small parameters through the model on the calibration split, for the points the pipeline's calibration budget picks.
/// </summary>
public sealed class AdditiveCodec : WeightCodec
{
    /// <summary>The codec's id.</summary>
    public const string CodecId = "additive";

    /// <summary>The longest vector the search tries.</summary>
    public const int MaxD = 16;

    /// <summary>The most codebooks the search tries.</summary>
    public const int MaxM = 4;

    /// <summary>The most bits per code the search tries (K = 256).</summary>
    public const int MaxBits = 8;

    // A fit costs seconds on a large model, and a front point is quantized by the search, the refinement and the
    // finish: keep the last few.
    private const int CacheSize = 6;

    private readonly LinkedList<(string Key, AdditiveQuantization Quantization)> _cache = new();
    private AdditiveSettings _settings = new();
    private WszResidualCoding _residual = WszResidualCoding.Brotli;
    private bool _dropDebugTables;
    private SharedWeights? _cacheOf;

    /// <inheritdoc />
    public override string Id => CodecId;

    /// <inheritdoc />
    public override string Summary => "vectors of d weights, each the sum of M codewords from codebooks shared by all layers, fine-tuned on the task (arXiv 2111.10320)";

    /// <inheritdoc />
    public override IReadOnlyList<Gene> Genes =>
    [
        new("d", 2, MaxD, "Weights per vector: every shared tensor is cut into runs of d consecutive weights (d = 1 is scalar sharing, which the scalar codec does better)."),
        new("m", 1, MaxM, "Codebooks: each vector is the sum of one codeword from each."),
        new("bits", 1, MaxBits, "Bits per code: each codebook holds K = 2^bits codewords."),
    ];

    /// <inheritdoc />
    public override CodecDefaults Defaults => new(SizeObjective.Bytes, Patience: 3, Calibrates: true, Population: 24, Racing: true);

    /// <inheritdoc />
    public override WszResidualCoding ResidualCoding => _residual;

    /// <inheritdoc />
    public override bool DropsDebugTables => _dropDebugTables;

    /// <inheritdoc />
    public override bool CanDropDebugTables => true;

    /// <inheritdoc />
    public override string RefinementLabel => "fine-tuned";

    /// <inheritdoc />
    public override string CalibrationName => "fine-tuning";

    /// <summary>
    /// Options: <c>beam</c> 1..16 (partial sums the code search keeps; 1 is residual quantization), <c>rounds</c>
    /// 0..10 (codebook updates and code searches after the residual start), <c>residual</c> <c>brotli</c> |
    /// <c>deflate</c>, <c>debug</c> <c>keep</c> | <c>drop</c>.
    /// </summary>
    public override void Configure(IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (key, value) in options)
        {
            var number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
            switch (key, value)
            {
                case ("beam", _) when number is >= 1 and <= 16: _settings = _settings with { Beam = number }; break;
                case ("rounds", _) when number is >= 0 and <= 10: _settings = _settings with { Rounds = number }; break;
                case ("residual", "brotli"): _residual = WszResidualCoding.Brotli; break;
                case ("residual", "deflate"): _residual = WszResidualCoding.Deflate; break;
                case ("debug", "keep" or "drop"): _dropDebugTables = value == "drop"; break;
                default:
                    throw new InvalidInputException(
                        $"The additive codec's option {key} = {value} is not one it takes (beam: 1 to 16; rounds: 0 to 10; residual: brotli or deflate; debug: keep or drop).");
            }
        }
    }

    /// <inheritdoc />
    public override int MaxSharedValues(IReadOnlyList<Gene> genes)
    {
        ArgumentNullException.ThrowIfNull(genes);
        return genes[1].Max << genes[2].Max;
    }

    /// <inheritdoc />
    public override Quantization Quantize(SharedWeights weights, SolutionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(plan);
        var (d, m, bits) = Read(plan);
        var layout = new VectorLayout(weights.Tensors.Select(t => t.ElementCount), d);
        if (plan.Refinement is not null)
        {
            var record = TuningRecord.Parse(plan.Refinement);
            var codes = AdditiveBlock.Parse(record.Block, weights.Tensors.Select(t => t.ElementCount)).Decode();
            if (codes.D != d || codes.M != m || codes.K != 1 << bits)
            {
                throw new InvalidInputException($"The fine-tuned codes of the additive plan [{string.Join(", ", plan.Genes)}] are for d = {codes.D}, M = {codes.M}, K = {codes.K}.");
            }
            return new AdditiveQuantization(codes, layout, record.Small, tuned: true);
        }
        return Fitted(weights, d, m, bits, layout, CancellationToken.None);
    }

    /// <summary>
    /// Fine-tunes the codewords and the unshared small parameters through the model on the calibration split (when the
    /// run has one), keeping every vector's codes, and measures the result; null when the run cannot fine-tune.
    /// </summary>
    public override async Task<Refinement?> RefineAsync(SharedWeights weights, SolutionPlan plan, RefineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Calibrate is null)
        {
            return null;
        }
        var quantization = (AdditiveQuantization)Quantize(weights, plan with { Refinement = null });
        var codes = quantization.Codes;
        var terms = Enumerable.Range(0, codes.M).Select(quantization.Term).ToArray();
        var result = context.Calibrate(terms, codes.Codebooks, cancellationToken);
        var tuned = codes with { Codebooks = result.Values };
        var block = new AdditiveBlock(tuned).Encode().Bytes;
        var refined = plan with { Refinement = new TuningRecord(block, result.SmallParameters).ToJson() };
        var measured = await context.MeasureAsync(refined, Quantize(weights, refined), cancellationToken).ConfigureAwait(false);
        context.Status?.Report(string.Create(CultureInfo.InvariantCulture, $"fine-tuned: {result.Outcome}, validation {measured.ValidationMetric:P2}"));
        return measured;
    }

    /// <inheritdoc />
    public override SharedWeightReader OpenReader(byte[] block, IReadOnlyList<WszSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        return AdditiveBlock.Parse(block, segments.Select(s => s.ElementCount)).OpenReader();
    }

    /// <inheritdoc />
    public override void Validate(ReadOnlySpan<byte> block, IReadOnlyList<WszSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        AdditiveBlock.Parse(block, segments.Select(s => s.ElementCount));
    }

    private AdditiveQuantization Fitted(SharedWeights weights, int d, int m, int bits, VectorLayout layout, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(_cacheOf, weights))
        {
            _cache.Clear();
            _cacheOf = weights;
        }
        var key = string.Create(CultureInfo.InvariantCulture, $"{d},{m},{bits},{_settings}");
        for (var node = _cache.First; node is not null; node = node.Next)
        {
            if (node.Value.Key == key)
            {
                _cache.Remove(node);
                _cache.AddFirst(node);
                return node.Value.Quantization;
            }
        }
        var codes = AdditiveFit.Fit(layout.Pool(weights.Values), d, m, 1 << bits, _settings, cancellationToken);
        var quantization = new AdditiveQuantization(codes, layout, null, tuned: false);
        _cache.AddFirst((key, quantization));
        if (_cache.Count > CacheSize)
        {
            _cache.RemoveLast();
        }
        return quantization;
    }

    private static (int D, int M, int Bits) Read(SolutionPlan plan)
    {
        if (plan.Genes.Count != 3)
        {
            throw new InvalidInputException($"An additive plan has 3 genes (d, m, bits); this one has {plan.Genes.Count}.");
        }
        var (d, m, bits) = (plan.Genes[0], plan.Genes[1], plan.Genes[2]);
        if (d is < 1 or > MaxD || m is < 1 or > MaxM || bits is < 1 or > MaxBits)
        {
            throw new InvalidInputException($"The additive plan's genes [{string.Join(", ", plan.Genes)}] are outside the codec's bounds (d 1..{MaxD}, m 1..{MaxM}, bits 1..{MaxBits}).");
        }
        return (d, m, bits);
    }

    /// <summary>The refinement record of a fine-tuned plan: the block (codes and tuned codewords) and the small parameters, base64.</summary>
    private sealed record TuningRecord(byte[] Block, IReadOnlyDictionary<string, float[]> Small)
    {
        public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["block"] = Convert.ToBase64String(Block),
            ["small"] = FloatText.PackAll(Small),
        });

        public static TuningRecord Parse(string json)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                var root = document.RootElement;
                var block = Convert.FromBase64String(root.GetProperty("block").GetString()!);
                var small = FloatText.UnpackAll(root.GetProperty("small"));
                return new TuningRecord(block, small);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
            {
                throw new InvalidInputException($"The fine-tuning record of an additive plan is unreadable: {e.Message}", e);
            }
        }
    }
}
