using System.Globalization;

namespace WeightShare.Engine.Codecs.Additive;

/// <summary>The shared weights as vectors of d weights, each the sum of M codewords; small parameters when fine-tuned.</summary>
internal sealed class AdditiveQuantization : Quantization
{
    private readonly VectorLayout _layout;
    private readonly IReadOnlyDictionary<string, float[]>? _small;
    private long? _blockBytes;

    public AdditiveQuantization(AdditiveCodes codes, VectorLayout layout, IReadOnlyDictionary<string, float[]>? small, bool tuned)
    {
        Codes = codes;
        _layout = layout;
        _small = small;
        Tuned = tuned;
    }

    public AdditiveCodes Codes { get; }

    /// <summary>True when the codewords were fine-tuned on the task.</summary>
    public bool Tuned { get; }

    public override int SharedValues => Codes.M * Codes.K;

    public override string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"d = {Codes.D}, M = {Codes.M}, K = {Codes.K} ({(double)Codes.M * int.Log2(Codes.K) / Codes.D:0.###} bits per weight before coding){(Tuned ? ", fine-tuned" : "")}");

    public override IReadOnlyDictionary<string, float[]>? SmallParameters => _small;

    public override void Dequantize(Span<float> weights)
    {
        var d = Codes.D;
        long at = 0;
        for (var t = 0; t < _layout.Starts.Length - 1; t++)
        {
            var count = _layout.CountOf(t);
            var vector = (int)_layout.Starts[t];
            for (long done = 0; done < count; done += d, vector++)
            {
                var length = (int)Math.Min(d, count - done);
                Codes.Rebuild(vector, weights.Slice((int)(at + done), length));
            }
            at += count;
        }
    }

    public override EncodedWeights Encode()
    {
        var (bytes, bits) = new AdditiveBlock(Codes).Encode();
        return new EncodedWeights(bytes, bits / Math.Max(1, _layout.Elements));
    }

    public override long BlockBytes => _blockBytes ??= new AdditiveBlock(Codes).EstimateBytes();

    /// <summary>
    /// For every shared weight, the flat index (into the M x K x d codewords) of its part in codebook
    /// <paramref name="book"/>: the chain rule's map from a weight's gradient to the codewords that made it.
    /// </summary>
    public int[] Term(int book)
    {
        var d = Codes.D;
        var term = new int[checked((int)_layout.Elements)];
        var at = 0;
        for (var t = 0; t < _layout.Starts.Length - 1; t++)
        {
            var count = _layout.CountOf(t);
            var vector = (int)_layout.Starts[t];
            for (long i = 0; i < count; i++)
            {
                var code = Codes.Codes[((vector + (int)(i / d)) * Codes.M) + book];
                term[at++] = (((book * Codes.K) + code) * d) + (int)(i % d);
            }
        }
        return term;
    }
}
