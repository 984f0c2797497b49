using WeightShare.Engine.Coding;
using System.Text.Json;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Wsz;

namespace WeightShare.Engine.Codecs.Scalar;

/// <summary>
/// Scalar weight sharing aimed at bytes, beyond the paper: one codebook over all shared weights on a lattice of step
/// (max - min) / k anchored at zero, with a wider zero bin and finer steps for groups of layers as genes of their own,
/// indices coded with rANS (a table per tensor where it pays) or the context coder, whichever is smaller, a
/// Brotli-coded residual, and a refinement that calibrates the codebook values and the unshared small parameters by
/// output distillation on a calibration split.
/// </summary>
public sealed class ScalarCodec : WeightCodec
{
    /// <summary>The codec's id.</summary>
    public const string CodecId = "scalar";

    /// <summary>Finer steps go down to the step / 2^MaxFine.</summary>
    public const int MaxFine = 2;

    /// <summary>The most layer groups that get a finer-step gene.</summary>
    public const int MaxGroups = 4;

    // Stretches of the weights whose level sums are made apart (in parallel) and then added in order.
    private const int SumStretches = 8;

    private const int MaxK = 8192;

    private float _range = float.NaN;
    private float _maxAbs = float.NaN;
    private SharedWeights? _rangeOf;
    // coder=auto tries both and keeps the smaller block: the context coder saves 2 to 7 % at the 1 to 3 bits a weight
    // of most front points, but its unary magnitudes cost far more than rANS at fine lattices (k = 1,024: 21 % more).
    private static readonly IndexCoder[] Auto = [IndexCoder.Rans, IndexCoder.Context];

    // Without a coder option, rANS: what every release before coder=auto wrote, so their stored runs resume unchanged.
    private IndexCoder[] _coders = [IndexCoder.Rans];
    private int[] _levelOf = [];
    private WszResidualCoding _residual = WszResidualCoding.Brotli;
    private bool _zero = true;
    private bool _fine = true;
    private bool _dropDebugTables;

    /// <inheritdoc />
    public override string Id => CodecId;

    /// <inheritdoc />
    public override string Summary => "bytes as the objective: a zero-anchored lattice with a wider zero bin and finer steps per layer group, rANS- or context-coded (whichever is smaller), values calibrated by distillation";

    /// <inheritdoc />
    public override IReadOnlyList<Gene> Genes =>
    [
        new("k", 2, MaxK, "Steps across [min, max] of all shared weights: the lattice step is (max - min) / k."),
        new("zero", 0, _zero ? 3 : 0, "Widens the zero bin: weights within (1 + zero / 2) half-steps of zero become zero."),
        .. Enumerable.Range(1, MaxGroups).Select(g => new Gene($"fine{g}", 0, _fine ? MaxFine : 0,
            $"Layer group {g} of {MaxGroups} (the shared tensors in model order, cut into equal counts) uses the step / 2^fine{g}.")),
    ];

    /// <summary>A model with fewer than <see cref="MaxGroups"/> shared tensors has empty layer groups: their genes are fixed at 0.</summary>
    public override IReadOnlyList<Gene> GenesFor(SharedWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var used = Groups(weights.Tensors.Count).Distinct().Count();
        return Genes.Select((gene, i) => i >= 2 + used ? gene with { Max = 0 } : gene).ToList();
    }

    /// <summary>
    /// Options, each one lever of the codec (all on by default): <c>coder</c> <c>auto</c> (a new run's default: rANS or
    /// the context coder, whichever writes the smaller block) | <c>rans</c> (without the option) | <c>context</c> |
    /// <c>huffman</c>,
    /// <c>residual</c> <c>brotli</c> | <c>deflate</c>, <c>zero</c> and <c>fine</c> <c>on</c> | <c>off</c> (off fixes the gene at 0);
    /// and, off by default because the decoded checkpoint then differs from the upload outside its weights,
    /// <c>debug</c> <c>keep</c> | <c>drop</c> (drop TorchScript's debug tables).
    /// </summary>
    public override void Configure(IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (key, value) in options)
        {
            switch (key, value)
            {
                case ("coder", "auto"): _coders = Auto; break;
                case ("coder", "rans"): _coders = [IndexCoder.Rans]; break;
                case ("coder", "huffman"): _coders = [IndexCoder.Huffman]; break;
                case ("coder", "context"): _coders = [IndexCoder.Context]; break;
                case ("residual", "brotli"): _residual = WszResidualCoding.Brotli; break;
                case ("residual", "deflate"): _residual = WszResidualCoding.Deflate; break;
                case ("zero", "on" or "off"): _zero = value == "on"; break;
                case ("fine", "on" or "off"): _fine = value == "on"; break;
                case ("debug", "keep" or "drop"): _dropDebugTables = value == "drop"; break;
                default:
                    throw new InvalidInputException(
                        $"The scalar codec's option {key} = {value} is not one it takes (coder: auto, rans, huffman or context; residual: brotli or deflate; zero, fine: on or off; debug: keep or drop).");
            }
        }
    }

    /// <summary>New runs code their indices with <c>coder</c> = <c>auto</c>.</summary>
    public override IReadOnlyDictionary<string, string> NewRunOptions { get; } = new Dictionary<string, string> { ["coder"] = "auto" };

    /// <inheritdoc />
    public override CodecDefaults Defaults => new(SizeObjective.Bytes, Patience: 5, Calibrates: true, Population: 32, Racing: true);

    /// <inheritdoc />
    public override WszResidualCoding ResidualCoding => _residual;

    /// <inheritdoc />
    public override bool DropsDebugTables => _dropDebugTables;

    /// <inheritdoc />
    public override bool CanDropDebugTables => true;

    /// <inheritdoc />
    public override string RefinementLabel => "calibrated";

    /// <inheritdoc />
    public override int MaxSharedValues(IReadOnlyList<Gene> genes)
    {
        ArgumentNullException.ThrowIfNull(genes);
        return (int)Math.Min(ushort.MaxValue, ((long)genes[0].Max << MaxFine) + 1);
    }

    /// <inheritdoc />
    public override Quantization Quantize(SharedWeights weights, SolutionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(plan);
        var (k, zero, fine) = Read(plan);
        var (range, maxAbs) = RangeOf(weights);
        var step = range > 0 ? range / k : 1f;
        var fineStep = step / (1 << MaxFine);
        var groups = Groups(weights.Tensors.Count);

        // Lattice levels in units of the finest step, shifted to be non-negative. The loop is the codec's hot path
        // (every evaluation of the search runs it over every shared weight): a multiply, a compare and a round each.
        var half = (int)Math.Ceiling(maxAbs / fineStep) + (1 << MaxFine);
        if (_levelOf.Length != weights.Count)
        {
            _levelOf = new int[weights.Count];
        }
        var levelOf = _levelOf;
        // The weights in a fixed number of stretches, each on any core: its weights' levels, and its own sums and counts
        // per level, added up afterwards in stretch order. The count is fixed (not the machine's cores), so the means
        // are the same to the last bit on every machine.
        var length = (2 * half) + 1;
        var stretchSums = new double[SumStretches][];
        var stretchCounts = new long[SumStretches][];
        var all = weights.Values;
        Parallel.For(0, SumStretches, c =>
        {
            var from = (int)((long)all.Length * c / SumStretches);
            var to = (int)((long)all.Length * (c + 1) / SumStretches);
            var sums = new double[length];
            var counts = new long[length];
            for (var t = 0; t < weights.Tensors.Count; t++)
            {
                var tensorStart = (int)weights.OffsetOf(t);
                var tensorEnd = tensorStart + (int)weights.Tensors[t].ElementCount;
                if (tensorEnd <= from || tensorStart >= to)
                {
                    continue;
                }
                var g = fine[groups[t]];
                var tensorStep = step / (1 << g);
                var inverse = 1 / tensorStep;
                var multiple = 1 << (MaxFine - g);
                var dead = (float)((1 + (zero / 2.0)) * tensorStep / 2);
                for (var i = Math.Max(from, tensorStart); i < Math.Min(to, tensorEnd); i++)
                {
                    var w = all[i];
                    var level = half;
                    if (w >= dead || w <= -dead)
                    {
                        level += (int)MathF.Round(w * inverse) * multiple;
                    }
                    levelOf[i] = level;
                    sums[level] += w;
                    counts[level]++;
                }
            }
            stretchSums[c] = sums;
            stretchCounts[c] = counts;
        });
        var sums = stretchSums[0];
        var counts = stretchCounts[0];
        for (var c = 1; c < SumStretches; c++)
        {
            for (var level = 0; level < length; level++)
            {
                sums[level] += stretchSums[c][level];
                counts[level] += stretchCounts[c][level];
            }
        }

        var index = new int[sums.Length];
        var means = new List<float>();
        for (var level = 0; level < sums.Length; level++)
        {
            if (counts[level] > 0)
            {
                index[level] = means.Count;
                means.Add((float)(sums[level] / counts[level]));
            }
        }
        if (means.Count > ushort.MaxValue)
        {
            throw new InvalidInputException($"k = {k} with these finer steps gives {means.Count} values, more than the scalar codec's {ushort.MaxValue}.");
        }
        var indices = new ushort[weights.Count];
        Parallel.For(0, weights.Tensors.Count, t =>
        {
            var start = (int)weights.OffsetOf(t);
            var end = start + (int)weights.Tensors[t].ElementCount;
            for (var i = start; i < end; i++)
            {
                indices[i] = (ushort)index[levelOf[i]];
            }
        });

        var description = ScalarQuantization.Describe(k, zero, fine, means.Count);
        if (plan.Refinement is null)
        {
            return new ScalarQuantization(weights, indices, [.. means], null, description, _coders);
        }
        var calibration = CalibrationRecord.Parse(plan.Refinement);
        if (calibration.Values.Length != means.Count)
        {
            throw new InvalidInputException($"The calibrated values of the scalar plan for k = {k} are {calibration.Values.Length}, but its lattice has {means.Count}.");
        }
        return new ScalarQuantization(weights, indices, calibration.Values, calibration.Small, description, _coders);
    }

    /// <summary>
    /// Calibrates the codebook values and the unshared small parameters by distillation (when the run has a
    /// calibration split) and measures the result; null when the run cannot calibrate.
    /// </summary>
    public override async Task<Refinement?> RefineAsync(SharedWeights weights, SolutionPlan plan, RefineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Calibrate is null)
        {
            return null;
        }
        var quantization = (ScalarQuantization)Quantize(weights, plan with { Refinement = null });
        var indices = quantization.Indices.Select(i => (int)i).ToArray();
        var result = context.Calibrate([indices], quantization.Values, cancellationToken);
        var refined = plan with { Refinement = new CalibrationRecord(result.Values, result.SmallParameters).ToJson() };
        var measured = await context.MeasureAsync(refined, Quantize(weights, refined), cancellationToken).ConfigureAwait(false);
        context.Status?.Report($"calibrated: {result.Outcome}, validation {measured.ValidationMetric:P2}");
        return measured;
    }

    /// <inheritdoc />
    public override SharedWeightReader OpenReader(byte[] block, IReadOnlyList<WszSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var count = segments.Sum(s => s.ElementCount);
        return new BlockReader(ScalarBlock.Parse(block, segments.Count, count), segments, count);
    }

    /// <inheritdoc />
    public override void Validate(ReadOnlySpan<byte> block, IReadOnlyList<WszSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ScalarBlock.Parse(block, segments.Count, segments.Sum(s => s.ElementCount));
    }

    /// <summary>For each shared tensor, its layer group: the tensors in model order, cut into equal counts.</summary>
    private static int[] Groups(int tensors)
    {
        var groups = Math.Min(MaxGroups, tensors);
        return Enumerable.Range(0, tensors).Select(t => Math.Min(MaxGroups - 1, t * groups / Math.Max(1, tensors))).ToArray();
    }

    private (float Range, float MaxAbs) RangeOf(SharedWeights weights)
    {
        if (!ReferenceEquals(_rangeOf, weights))
        {
            var (min, max) = weights.Values.Length == 0 ? (0f, 0f) : (weights.Values.Min(), weights.Values.Max());
            (_range, _maxAbs) = (max - min, Math.Max(Math.Abs(min), Math.Abs(max)));
            _rangeOf = weights;
        }
        return (_range, _maxAbs);
    }

    private static (int K, int Zero, int[] Fine) Read(SolutionPlan plan)
    {
        if (plan.Genes.Count != 2 + MaxGroups)
        {
            throw new InvalidInputException($"A scalar plan has {2 + MaxGroups} genes (k, zero, fine1..fine{MaxGroups}); this one has {plan.Genes.Count}.");
        }
        var k = plan.Genes[0];
        var zero = plan.Genes[1];
        var fine = plan.Genes.Skip(2).ToArray();
        if (k is < 2 or > MaxK || zero is < 0 or > 3 || fine.Any(f => f is < 0 or > MaxFine))
        {
            throw new InvalidInputException($"The scalar plan's genes [{string.Join(", ", plan.Genes)}] are outside the codec's bounds.");
        }
        return (k, zero, fine);
    }

    /// <summary>The refinement record of a calibrated plan: the values and small parameters as base64 little-endian float32.</summary>
    private sealed record CalibrationRecord(float[] Values, IReadOnlyDictionary<string, float[]> Small)
    {
        public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["values"] = FloatText.Pack(Values),
            ["small"] = FloatText.PackAll(Small),
        });

        public static CalibrationRecord Parse(string json)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                var root = document.RootElement;
                var values = FloatText.Unpack(root.GetProperty("values").GetString()!);
                var small = FloatText.UnpackAll(root.GetProperty("small"));
                return new CalibrationRecord(values, small);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
            {
                throw new InvalidInputException($"The calibration record of a scalar plan is unreadable: {e.Message}", e);
            }
        }
    }

    /// <summary>Reads each segment's stream in turn, checking that each ends where its segment does.</summary>
    private sealed class BlockReader(ScalarBlock block, IReadOnlyList<WszSegment> segments, long count) : SharedWeightReader(count)
    {
        private readonly ushort[] _chunk = new ushort[(int)Math.Min(count, ChunkLength)];
        private int _segment = -1;
        private long _leftInSegment;
        private ISymbolReader? _symbols;

        protected override void ReadCore(Span<float> values)
        {
            var at = 0;
            while (at < values.Length)
            {
                if (_leftInSegment == 0)
                {
                    NextSegment();
                    continue;
                }
                var length = (int)Math.Min(Math.Min(values.Length - at, _chunk.Length), _leftInSegment);
                var symbols = _chunk.AsSpan(0, length);
                _symbols!.Read(symbols);
                var output = values.Slice(at, length);
                for (var i = 0; i < length; i++)
                {
                    output[i] = block.Values[symbols[i]];
                }
                at += length;
                _leftInSegment -= length;
            }
        }

        protected override void FinishCore()
        {
            while (_segment < segments.Count - 1 || _symbols is not null)
            {
                NextSegment();
            }
        }

        // Ends the current segment's stream and opens the next one's (none after the last).
        private void NextSegment()
        {
            _symbols?.Finish();
            _symbols = null;
            if (++_segment < segments.Count)
            {
                var (table, stream) = block.Streams[_segment];
                _symbols = block.Coder.Open(stream, block.Tables[table], ContextCoding.RowLength(segments[_segment].Shape));
                _leftInSegment = segments[_segment].ElementCount;
            }
        }
    }
}
