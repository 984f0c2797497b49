using WeightShare.Engine.Coding;

namespace WeightShare.Engine.Codecs.Scalar;

/// <summary>
/// How the scalar codec entropy-codes codebook indices: a table made from symbol counts, what the counts cost with a
/// table, the table's own bytes, and the stream of one segment. rANS comes within bytes of the entropy of each
/// tensor's counts; the context coder goes below it by following each tensor's rows and columns (its table is only
/// the indices the tensor uses); Huffman (the paper's coder) is kept for comparison.
/// </summary>
internal abstract class IndexCoder
{
    public static IndexCoder Rans { get; } = new RansIndexCoder();

    public static IndexCoder Huffman { get; } = new HuffmanIndexCoder();

    public static IndexCoder Context { get; } = new ContextIndexCoder();

    /// <summary>The coder's byte in the block.</summary>
    public abstract byte Id { get; }

    public static IndexCoder Of(byte id) => id switch
    {
        0 => Rans,
        1 => Huffman,
        2 => Context,
        _ => throw new InvalidInputException($"The scalar codec's block names index coder {id}, which this version does not know."),
    };

    /// <summary>
    /// Whether a stream's bytes follow from its symbol counts and table (<see cref="CodedBits"/>, within a few bytes):
    /// false for the context coder, whose bytes depend on the order of the symbols.
    /// </summary>
    public virtual bool CostsFromCounts => true;

    public abstract object Table(long[] counts, int values);

    public abstract double CodedBits(object table, long[] counts);

    public abstract long TableBytes(object table);

    /// <summary>Whether a segment with <paramref name="counts"/> is better coded with <paramref name="own"/> table than with <paramref name="global"/>.</summary>
    public virtual bool OwnTablePays(object global, object own, long[] counts) =>
        (CodedBits(global, counts) - CodedBits(own, counts)) / 8 > TableBytes(own) + 2;

    /// <summary>Codes one segment's symbols; <paramref name="rowLength"/> is the elements per row of its tensor.</summary>
    public abstract byte[] Encode(ReadOnlySpan<ushort> symbols, object table, long rowLength);

    public abstract void WriteTable(Stream output, object table);

    public abstract object ReadTable(ScalarBlock.Reader reader, int values);

    /// <summary>A reader of one segment's stream, coded with <paramref name="table"/> (its tensor's rows hold <paramref name="rowLength"/> elements).</summary>
    public abstract ISymbolReader Open(byte[] stream, object table, long rowLength);

    private sealed class RansIndexCoder : IndexCoder
    {
        public override byte Id => 0;

        // 14-bit frequencies suffice for a few thousand values and keep decoding tables small; more values need 16.
        private static int ScaleBits(int values) => values > 4096 ? 16 : 14;

        public override object Table(long[] counts, int values) => RansTable.FromCounts(counts, ScaleBits(values));

        public override double CodedBits(object table, long[] counts) => ((RansTable)table).CodedBits(counts) + 32;

        public override long TableBytes(object table)
        {
            var rans = (RansTable)table;
            long bytes = 1 + Varint.Length((ulong)rans.UsedSymbols);
            var previous = -1;
            for (var s = 0; s < rans.Frequencies.Length; s++)
            {
                if (rans.Frequencies[s] > 0)
                {
                    bytes += Varint.Length((ulong)(s - previous - 1)) + Varint.Length(rans.Frequencies[s] - 1);
                    previous = s;
                }
            }
            return bytes;
        }

        public override byte[] Encode(ReadOnlySpan<ushort> symbols, object table, long rowLength) => Coding.Rans.Encode(symbols, (RansTable)table);

        public override void WriteTable(Stream output, object table)
        {
            var rans = (RansTable)table;
            output.WriteByte((byte)rans.ScaleBits);
            Varint.Write(output, (ulong)rans.UsedSymbols);
            var previous = -1;
            for (var s = 0; s < rans.Frequencies.Length; s++)
            {
                if (rans.Frequencies[s] > 0)
                {
                    Varint.Write(output, (ulong)(s - previous - 1));
                    Varint.Write(output, rans.Frequencies[s] - 1);
                    previous = s;
                }
            }
        }

        public override object ReadTable(ScalarBlock.Reader reader, int values)
        {
            var scaleBits = reader.Take(1, "table precision")[0];
            var frequencies = new uint[values];
            foreach (var (symbol, value) in reader.Pairs(values, wide: true))
            {
                frequencies[symbol] = value + 1;
            }
            return RansTable.FromFrequencies(frequencies, scaleBits);
        }

        public override ISymbolReader Open(byte[] stream, object table, long rowLength) => new RansReader(stream, (RansTable)table);
    }

    private sealed class HuffmanIndexCoder : IndexCoder
    {
        public override byte Id => 1;

        public override object Table(long[] counts, int values) => CanonicalHuffman.CodeLengths(counts, maxLength: 24);

        public override double CodedBits(object table, long[] counts)
        {
            var lengths = (int[])table;
            double bits = 0;
            for (var s = 0; s < counts.Length; s++)
            {
                if (counts[s] > 0)
                {
                    bits += lengths[s] == 0 ? double.PositiveInfinity : counts[s] * (double)lengths[s];
                }
            }
            return bits + 7;
        }

        public override long TableBytes(object table)
        {
            var lengths = (int[])table;
            long bytes = Varint.Length((ulong)lengths.Count(l => l > 0));
            var previous = -1;
            for (var s = 0; s < lengths.Length; s++)
            {
                if (lengths[s] > 0)
                {
                    bytes += Varint.Length((ulong)(s - previous - 1)) + 1;
                    previous = s;
                }
            }
            return bytes;
        }

        public override byte[] Encode(ReadOnlySpan<ushort> symbols, object table, long rowLength) => CanonicalHuffman.Encode(symbols, (int[])table);

        public override void WriteTable(Stream output, object table)
        {
            var lengths = (int[])table;
            Varint.Write(output, (ulong)lengths.Count(l => l > 0));
            var previous = -1;
            for (var s = 0; s < lengths.Length; s++)
            {
                if (lengths[s] > 0)
                {
                    Varint.Write(output, (ulong)(s - previous - 1));
                    output.WriteByte((byte)lengths[s]);
                    previous = s;
                }
            }
        }

        public override object ReadTable(ScalarBlock.Reader reader, int values)
        {
            var lengths = new int[values];
            foreach (var (symbol, value) in reader.Pairs(values, wide: false))
            {
                lengths[symbol] = (int)value;
            }
            var problem = CanonicalHuffman.Validate(lengths);
            return problem is null ? lengths : throw new InvalidInputException($"A Huffman table of the scalar codec's block is invalid: {problem}.");
        }

        // One decoder per table, however many segments share it: building one walks every value.
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<int[], HuffmanDecoder> _decoders = [];

        public override ISymbolReader Open(byte[] stream, object table, long rowLength) =>
            new HuffmanReader(_decoders.GetValue((int[])table, lengths => new HuffmanDecoder(lengths)), stream);
    }

    private sealed class ContextIndexCoder : IndexCoder
    {
        public override byte Id => 2;

        public override bool CostsFromCounts => false;

        public override object Table(long[] counts, int values) => ContextAlphabet.FromCounts(counts);

        // Counts cannot price a context-coded stream: ScalarQuantization encodes it instead.
        public override double CodedBits(object table, long[] counts) =>
            throw new NotSupportedException("The context coder's bytes depend on the order of the symbols; encode them.");

        public override long TableBytes(object table)
        {
            var alphabet = (ContextAlphabet)table;
            long bytes = Varint.Length((ulong)alphabet.Symbols.Length) + Varint.Length((ulong)alphabet.Centre);
            var previous = -1;
            foreach (var symbol in alphabet.Symbols)
            {
                bytes += Varint.Length((ulong)(symbol - previous - 1));
                previous = symbol;
            }
            return bytes;
        }

        // An alphabet of its own makes the ranks of a tensor that uses fewer indices (coarser steps) dense around its
        // own centre, for a byte or two per index it uses.
        public override bool OwnTablePays(object global, object own, long[] counts) => !((ContextAlphabet)own).SameAs((ContextAlphabet)global);

        public override byte[] Encode(ReadOnlySpan<ushort> symbols, object table, long rowLength) =>
            ContextCoding.Encode(symbols, (ContextAlphabet)table, rowLength);

        public override void WriteTable(Stream output, object table)
        {
            var alphabet = (ContextAlphabet)table;
            Varint.Write(output, (ulong)alphabet.Symbols.Length);
            var previous = -1;
            foreach (var symbol in alphabet.Symbols)
            {
                Varint.Write(output, (ulong)(symbol - previous - 1));
                previous = symbol;
            }
            Varint.Write(output, (ulong)alphabet.Centre);
        }

        public override object ReadTable(ScalarBlock.Reader reader, int values)
        {
            var symbols = reader.Symbols(values);
            var centre = reader.Varint("alphabet centre");
            return centre < (ulong)symbols.Length
                ? new ContextAlphabet(symbols, (int)centre)
                : throw new InvalidInputException($"An alphabet of the scalar codec's block names centre {centre} of {symbols.Length} indices.");
        }

        public override ISymbolReader Open(byte[] stream, object table, long rowLength) => new ContextReader(stream, (ContextAlphabet)table, rowLength);
    }
}
