using System.Buffers.Binary;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Coding;

namespace WeightShare.Engine.Codecs.Additive;

/// <summary>
/// The additive codec's block of a .wsz version 2 file: the codebooks at full precision and, per codebook, a rANS table
/// and the stream of every vector's code in that codebook.
/// Layout: u8 d, u8 M, u8 log2 K, M x K x d f32 codewords, then per codebook: the rANS table (u8 precision, varint used
/// symbols u, u pairs of varint symbol gap and varint frequency - 1), varint stream length, stream. The vectors are
/// each segment's weights cut into runs of d (the last one of a segment shorter), segment after segment.
/// </summary>
internal sealed record AdditiveBlock(AdditiveCodes Codes)
{
    /// <summary>The longest vector a block may declare.</summary>
    public const int MaxD = 64;

    /// <summary>The most codebooks a block may declare.</summary>
    public const int MaxM = 8;

    /// <summary>The most bits a code may take: K = 2^bits codewords.</summary>
    public const int MaxBits = 12;

    private const string Owner = "the additive codec's block";

    /// <summary>The block's bytes, with its bits per weight (coded code bits over <paramref name="weights"/>).</summary>
    public (byte[] Bytes, double CodedBits) Encode()
    {
        using var output = new MemoryStream();
        var (d, m, k) = (Codes.D, Codes.M, Codes.K);
        output.WriteByte((byte)d);
        output.WriteByte((byte)m);
        output.WriteByte((byte)int.Log2(k));
        Span<byte> word = stackalloc byte[4];
        foreach (var value in Codes.Codebooks)
        {
            BinaryPrimitives.WriteSingleLittleEndian(word, value);
            output.Write(word);
        }
        double bits = 0;
        foreach (var (table, symbols, counts) in Tables())
        {
            IndexCoder.Rans.WriteTable(output, table);
            var stream = IndexCoder.Rans.Encode(symbols, table, rowLength: 1);
            Varint.Write(output, (ulong)stream.Length);
            output.Write(stream);
            bits += IndexCoder.Rans.CodedBits(table, counts);
        }
        return (output.ToArray(), bits);
    }

    /// <summary>The bytes <see cref="Encode"/> writes, from the tables' coded sizes (within a few bytes).</summary>
    public long EstimateBytes()
    {
        long bytes = 3 + (4L * Codes.Codebooks.Length);
        foreach (var (table, _, counts) in Tables())
        {
            var stream = (long)Math.Ceiling(IndexCoder.Rans.CodedBits(table, counts) / 8);
            bytes += IndexCoder.Rans.TableBytes(table) + Varint.Length((ulong)stream) + stream;
        }
        return bytes;
    }

    /// <summary>Reads and checks a block for segments of <paramref name="elementCounts"/> weights; the codes are decoded lazily by <see cref="OpenReader"/>.</summary>
    /// <exception cref="InvalidInputException">The block is truncated, inconsistent or has trailing bytes.</exception>
    public static Parsed Parse(ReadOnlySpan<byte> block, IEnumerable<long> elementCounts)
    {
        ArgumentNullException.ThrowIfNull(elementCounts);
        var reader = new ScalarBlock.Reader(block.ToArray(), Owner);
        var header = reader.Take(3, "header");
        var (d, m, bits) = (header[0], header[1], header[2]);
        if (d is 0 or > MaxD || m is 0 or > MaxM || bits is 0 or > MaxBits)
        {
            throw new InvalidInputException(
                $"The additive codec's block declares d = {d}, M = {m}, log2 K = {bits}; this version reads d 1..{MaxD}, M 1..{MaxM}, log2 K 1..{MaxBits}.");
        }
        var k = 1 << bits;
        var words = (long)m * k * d;
        if (words * 4 > reader.Remaining)
        {
            throw new InvalidInputException($"The additive codec's block declares {words} codeword values but holds only {reader.Remaining} more bytes.");
        }
        var codebooks = new float[words];
        var raw = reader.Take((int)(words * 4), "codebooks");
        for (var i = 0; i < codebooks.Length; i++)
        {
            codebooks[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]);
        }
        var layout = new VectorLayout(elementCounts, d);
        var tables = new RansTable[m];
        var streams = new byte[m][];
        for (var book = 0; book < m; book++)
        {
            tables[book] = (RansTable)IndexCoder.Rans.ReadTable(reader, k);
            var length = reader.Varint("stream length");
            if (length > (ulong)reader.Remaining)
            {
                throw new InvalidInputException($"Codebook {book + 1}'s code stream of the additive codec's block runs past its end.");
            }
            streams[book] = reader.Take((int)length, "code stream").ToArray();
            // With two or more symbols in its table rANS cannot code a symbol in less than 2^-16 bit; a table of one
            // symbol codes any number of them in the 4-byte state alone.
            if (tables[book].UsedSymbols > 1 && layout.Vectors > (streams[book].LongLength + 1) << 16 << 3)
            {
                throw new InvalidInputException($"The additive codec's block has a code stream of {streams[book].Length} bytes for {layout.Vectors} vectors.");
            }
        }
        if (reader.Remaining != 0)
        {
            throw new InvalidInputException($"The additive codec's block has {reader.Remaining} bytes after its last stream.");
        }
        return new Parsed(d, m, k, codebooks, tables, streams, layout);
    }

    private IEnumerable<(RansTable Table, ushort[] Symbols, long[] Counts)> Tables()
    {
        var (m, k) = (Codes.M, Codes.K);
        for (var book = 0; book < m; book++)
        {
            var symbols = new ushort[Codes.Vectors];
            var counts = new long[k];
            for (var v = 0; v < symbols.Length; v++)
            {
                var code = Codes.Codes[(v * m) + book];
                symbols[v] = code;
                counts[code]++;
            }
            yield return ((RansTable)IndexCoder.Rans.Table(counts, k), symbols, counts);
        }
    }

    /// <summary>A block as read: its codebooks and the coded streams, not yet decoded.</summary>
    internal sealed record Parsed(int D, int M, int K, float[] Codebooks, RansTable[] Tables, byte[][] Streams, VectorLayout Layout)
    {
        /// <summary>Every vector's codes, decoded at once (what a plan's refinement record needs).</summary>
        public AdditiveCodes Decode()
        {
            var vectors = checked((int)Layout.Vectors);
            var codes = new ushort[checked(vectors * M)];
            var column = new ushort[vectors];
            for (var book = 0; book < M; book++)
            {
                var reader = new RansReader(Streams[book], Tables[book]);
                reader.Read(column);
                reader.Finish();
                for (var v = 0; v < vectors; v++)
                {
                    codes[(v * M) + book] = column[v];
                }
            }
            return new AdditiveCodes(D, M, K, Codebooks, codes);
        }

        /// <summary>A reader of every weight, a chunk of vectors at a time.</summary>
        public SharedWeightReader OpenReader() => new Reader(this);
    }

    private sealed class Reader : SharedWeightReader
    {
        private const int ChunkVectors = 4096;
        private readonly Parsed _block;
        private readonly RansReader[] _streams;
        private readonly ushort[][] _chunk;
        private readonly AdditiveCodes _window;
        private readonly float[] _vector;
        private long _vectorsLeft;
        private int _inChunk;
        private int _chunkLength;
        private int _segment = -1;
        private long _leftInSegment;
        private int _vectorLength;
        private int _vectorAt;

        public Reader(Parsed block) : base(block.Layout.Elements)
        {
            _block = block;
            _streams = block.Streams.Select((stream, book) => new RansReader(stream, block.Tables[book])).ToArray();
            _chunk = block.Streams.Select(_ => new ushort[ChunkVectors]).ToArray();
            _window = new AdditiveCodes(block.D, block.M, block.K, block.Codebooks, new ushort[block.M]);
            _vector = new float[block.D];
            _vectorsLeft = block.Layout.Vectors;
        }

        protected override void ReadCore(Span<float> values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (_vectorAt == _vectorLength)
                {
                    NextVector();
                }
                values[i] = _vector[_vectorAt++];
            }
        }

        protected override void FinishCore()
        {
            foreach (var stream in _streams)
            {
                stream.Finish();
            }
        }

        // Decodes the next vector of the current segment (moving to the next segment when this one is done).
        private void NextVector()
        {
            while (_leftInSegment == 0)
            {
                _leftInSegment = _block.Layout.CountOf(++_segment);
            }
            if (_inChunk == _chunkLength)
            {
                _chunkLength = (int)Math.Min(ChunkVectors, _vectorsLeft);
                for (var book = 0; book < _streams.Length; book++)
                {
                    _streams[book].Read(_chunk[book].AsSpan(0, _chunkLength));
                }
                _vectorsLeft -= _chunkLength;
                _inChunk = 0;
            }
            for (var book = 0; book < _streams.Length; book++)
            {
                _window.Codes[book] = _chunk[book][_inChunk];
            }
            _inChunk++;
            _vectorLength = (int)Math.Min(_block.D, _leftInSegment);
            _leftInSegment -= _vectorLength;
            _window.Rebuild(0, _vector.AsSpan(0, _vectorLength));
            _vectorAt = 0;
        }
    }
}
