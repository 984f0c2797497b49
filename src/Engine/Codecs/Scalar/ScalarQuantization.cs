using System.Globalization;
using WeightShare.Engine.Coding;

namespace WeightShare.Engine.Codecs.Scalar;

/// <summary>
/// One solution of the scalar codec: every shared weight's index into one codebook of lattice levels, the codebook's
/// values (level means, or calibrated values), and calibrated small parameters when there are any.
/// </summary>
internal sealed class ScalarQuantization : Quantization
{
    private readonly SharedWeights _weights;
    private readonly ushort[] _indices;
    private readonly float[] _values;
    private readonly IReadOnlyDictionary<string, float[]>? _small;
    private readonly string _description;
    private EncodedWeights? _encoded;

    private readonly IReadOnlyList<IndexCoder> _coders;

    /// <param name="coders">The index coders to try: the block is written with the one that gives the fewest bytes
    /// (the first on a tie).</param>
    public ScalarQuantization(SharedWeights weights, ushort[] indices, float[] values, IReadOnlyDictionary<string, float[]>? small, string description, IReadOnlyList<IndexCoder> coders)
    {
        if (coders.Count == 0)
        {
            throw new ArgumentException("A scalar quantization needs an index coder.", nameof(coders));
        }
        _coders = coders;
        _weights = weights;
        _indices = indices;
        _values = values;
        _small = small;
        _description = description;
    }

    /// <summary>Each shared weight's codebook index.</summary>
    public ushort[] Indices => _indices;

    /// <summary>The codebook's values.</summary>
    public float[] Values => _values;

    public override int SharedValues => _values.Length;

    public override string Description => _small is null ? _description : _description + ", calibrated";

    public override IReadOnlyDictionary<string, float[]>? SmallParameters => _small;

    public override void Dequantize(Span<float> weights)
    {
        for (var i = 0; i < _indices.Length; i++)
        {
            weights[i] = _values[_indices[i]];
        }
    }

    /// <summary>
    /// The block's size for the search, from the counts and tables alone: within a few bytes per stream of what
    /// <see cref="Encode"/> writes for rANS and Huffman. A context-coded block is priced as its rANS block: encoding it
    /// for every candidate would cost a third of a ResNet-18 evaluation, and the context coder's bytes, which depend
    /// on the order of the indices, have no cheap exact formula. With several coders to try, the first one priced from
    /// counts (the file written is never more than a few bytes over it). Once encoded, the block's real size.
    /// </summary>
    public override long BlockBytes => _encoded?.Block.LongLength ?? EstimatedBytes(_coders.FirstOrDefault(c => c.CostsFromCounts) ?? IndexCoder.Rans);

    private long EstimatedBytes(IndexCoder coder)
    {
        var (tables, choice, counts) = Tables(coder);
        long bytes = ScalarBlock.HeaderBytes(_values.Length) + tables.Sum(coder.TableBytes);
        for (var t = 0; t < counts.Length; t++)
        {
            var streamBytes = (long)Math.Ceiling(coder.CodedBits(tables[choice[t]], counts[t]) / 8);
            bytes += Varint.Length((ulong)choice[t]) + Varint.Length((ulong)streamBytes) + streamBytes;
        }
        return bytes;
    }

    public override EncodedWeights Encode()
    {
        if (_encoded is not null)
        {
            return _encoded;
        }
        EncodedWeights? best = null;
        foreach (var coder in _coders)
        {
            var encoded = EncodeWith(coder);
            if (best is null || encoded.Block.LongLength < best.Block.LongLength)
            {
                best = encoded;
            }
        }
        return _encoded = best!;
    }

    private EncodedWeights EncodeWith(IndexCoder coder)
    {
        var (tables, choice, _) = Tables(coder);
        var streams = new List<(int, byte[])>(_weights.Tensors.Count);
        long bits = 0;
        for (var t = 0; t < _weights.Tensors.Count; t++)
        {
            var symbols = _indices.AsSpan((int)_weights.OffsetOf(t), (int)_weights.Tensors[t].ElementCount);
            var stream = coder.Encode(symbols, tables[choice[t]], ContextCoding.RowLength(_weights.Tensors[t].Shape));
            streams.Add((choice[t], stream));
            bits += 8L * stream.Length;
        }
        var block = new ScalarBlock(_values, coder, tables, streams).ToBytes();
        return new EncodedWeights(block, (double)bits / _indices.Length);
    }

    /// <summary>
    /// The table of all weights first; a tensor gets a table of its own where the bytes it saves exceed the table's.
    /// </summary>
    private (List<object> Tables, int[] Choice, long[][] Counts) Tables(IndexCoder coder)
    {
        var counts = new long[_weights.Tensors.Count][];
        var total = new long[_values.Length];
        // Each tensor's counts on any core (whole numbers: the order they are added in cannot change them).
        Parallel.For(0, counts.Length, t =>
        {
            var own = new long[_values.Length];
            foreach (var index in _indices.AsSpan((int)_weights.OffsetOf(t), (int)_weights.Tensors[t].ElementCount))
            {
                own[index]++;
            }
            counts[t] = own;
        });
        for (var t = 0; t < counts.Length; t++)
        {
            for (var v = 0; v < total.Length; v++)
            {
                total[v] += counts[t][v];
            }
        }
        var global = coder.Table(total, _values.Length);
        var tables = new List<object> { global };
        var choice = new int[counts.Length];
        for (var t = 0; t < counts.Length; t++)
        {
            var own = coder.Table(counts[t], _values.Length);
            if (coder.OwnTablePays(global, own, counts[t]))
            {
                choice[t] = tables.Count;
                tables.Add(own);
            }
        }
        return (tables, choice, counts);
    }

    public static string Describe(int k, int zero, IReadOnlyList<int> fine, int values) =>
        string.Create(CultureInfo.InvariantCulture,
            $"k = {k}{(zero > 0 ? $", zero bin x{1 + (zero / 2.0):0.##}" : "")}{(fine.Any(f => f > 0) ? $", finer steps {string.Join("/", fine)}" : "")}, {values} shared values");
}
