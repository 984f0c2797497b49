using System.Buffers.Binary;
using WeightShare.Engine.Coding;

namespace WeightShare.Engine.Codecs.Scalar;

/// <summary>
/// The scalar codec's block of a .wsz version 2 file: the shared values, the index coder's tables, and one stream of
/// codebook indices per segment, each naming the table it is coded with (a table of its own where that pays for its
/// bytes, else the table of all weights).
/// Layout: u32 m, m x f32 values, u8 coder (0 rANS, 1 Huffman, 2 context), u16 T tables, the tables (rANS: u8
/// precision, varint used symbols u, u pairs of varint symbol gap and varint frequency - 1; Huffman: varint u, u pairs
/// of varint symbol gap and u8 code length; context: varint u, u varint symbol gaps, varint centre), then per segment:
/// varint table, varint stream length, stream.
/// </summary>
internal sealed record ScalarBlock(float[] Values, IndexCoder Coder, IReadOnlyList<object> Tables, IReadOnlyList<(int Table, byte[] Stream)> Streams)
{
    /// <summary>The most table entries (tables x values) a block may declare: far more than a real file needs.</summary>
    public const long MaxTableEntries = 1 << 24;

    public byte[] ToBytes()
    {
        if (Tables.Count > ushort.MaxValue)
        {
            throw new InvalidOperationException($"{Tables.Count} tables do not fit the block's 16-bit count.");
        }
        using var output = new MemoryStream();
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)Values.Length);
        output.Write(word);
        foreach (var value in Values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(word, value);
            output.Write(word);
        }
        output.WriteByte(Coder.Id);
        output.WriteByte((byte)Tables.Count);
        output.WriteByte((byte)(Tables.Count >> 8));
        foreach (var table in Tables)
        {
            Coder.WriteTable(output, table);
        }
        foreach (var (tableIndex, stream) in Streams)
        {
            Varint.Write(output, (ulong)tableIndex);
            Varint.Write(output, (ulong)stream.Length);
            output.Write(stream);
        }
        return output.ToArray();
    }

    /// <summary>Bytes of the block's fixed part: the values, the coder byte and the table count.</summary>
    public static long HeaderBytes(int values) => 4 + (4L * values) + 1 + 2;

    /// <summary>Reads and checks a block for the given number of segments holding <paramref name="symbols"/> elements in all.</summary>
    /// <exception cref="InvalidInputException">The block is truncated, inconsistent or has trailing bytes.</exception>
    public static ScalarBlock Parse(ReadOnlySpan<byte> block, int segments, long symbols)
    {
        var reader = new Reader(block.ToArray());
        var count = BinaryPrimitives.ReadUInt32LittleEndian(reader.Take(4, "codebook count"));
        if (count is 0 or > ushort.MaxValue || count > (uint)reader.Remaining / 4 || count > symbols)
        {
            throw new InvalidInputException($"The scalar codec's block declares {count} values, which it cannot hold or its {symbols} weights cannot use.");
        }
        var values = new float[count];
        for (var v = 0; v < values.Length; v++)
        {
            values[v] = BinaryPrimitives.ReadSingleLittleEndian(reader.Take(4, "values"));
        }
        var coder = IndexCoder.Of(reader.Take(1, "coder")[0]);
        var tableCount = BinaryPrimitives.ReadUInt16LittleEndian(reader.Take(2, "table count"));
        // One table for all weights and at most one per segment; each holds an entry per value, so the product is bounded too.
        if (tableCount == 0 || tableCount > segments + 1 || (long)tableCount * count > MaxTableEntries)
        {
            throw new InvalidInputException($"The scalar codec's block declares {tableCount} tables of {count} values for {segments} segments.");
        }
        var tables = new List<object>(Math.Min((int)tableCount, reader.Remaining));
        for (var t = 0; t < tableCount; t++)
        {
            tables.Add(coder.ReadTable(reader, (int)count));
        }
        var streams = new List<(int, byte[])>(Math.Min(segments, reader.Remaining));
        for (var s = 0; s < segments; s++)
        {
            var table = reader.Varint("table index");
            if (table >= (ulong)tables.Count)
            {
                throw new InvalidInputException($"A segment of the scalar codec's block names table {table} of {tables.Count}.");
            }
            var length = reader.Varint("stream length");
            if (length > (ulong)reader.Remaining)
            {
                throw new InvalidInputException("A stream of the scalar codec's block runs past its end.");
            }
            streams.Add(((int)table, reader.Take((int)length, "stream").ToArray()));
        }
        if (reader.Remaining != 0)
        {
            throw new InvalidInputException($"The scalar codec's block has {reader.Remaining} bytes after its last stream.");
        }
        return new ScalarBlock(values, coder, tables, streams);
    }

    /// <summary>A cursor over a block that checks every read against what is left; <paramref name="owner"/> names the block in errors.</summary>
    internal sealed class Reader(byte[] data, string owner = "the scalar codec's block")
    {
        private int _at;

        public int Remaining => data.Length - _at;

        public ReadOnlySpan<byte> Take(int count, string what)
        {
            if (count > Remaining)
            {
                throw new InvalidInputException($"{char.ToUpperInvariant(owner[0])}{owner[1..]} ends inside its {what}.");
            }
            var span = data.AsSpan(_at, count);
            _at += count;
            return span;
        }

        public ulong Varint(string what)
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Take(1, what)[0];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }
            throw new InvalidInputException($"{char.ToUpperInvariant(owner[0])}{owner[1..]} has a {what} longer than 64 bits.");
        }

        /// <summary>A context coder's alphabet: a varint count, then that many symbol gaps, each symbol below <paramref name="symbols"/>.</summary>
        public ushort[] Symbols(int symbols)
        {
            var used = Varint("alphabet size");
            if (used == 0 || used > (ulong)symbols)
            {
                throw new InvalidInputException($"An alphabet of {owner} holds {used} of {symbols} values.");
            }
            var list = new ushort[(int)used];
            var symbol = -1L;
            for (var u = 0; u < list.Length; u++)
            {
                symbol += (long)Math.Min(Varint("symbol gap"), (ulong)symbols) + 1;
                if (symbol >= symbols)
                {
                    throw new InvalidInputException($"An alphabet of {owner} names a value out of range.");
                }
                list[u] = (ushort)symbol;
            }
            return list;
        }

        /// <summary>A table's (symbol, value) pairs: a varint count, then symbol gaps with varint (wide) or byte values.</summary>
        public IEnumerable<(int Symbol, uint Value)> Pairs(int symbols, bool wide)
        {
            var used = Varint("table size");
            if (used == 0 || used > (ulong)symbols)
            {
                throw new InvalidInputException($"A table of {owner} uses {used} of {symbols} values.");
            }
            var pairs = new List<(int, uint)>((int)used);
            var symbol = -1L;
            for (ulong u = 0; u < used; u++)
            {
                symbol += (long)Math.Min(Varint("symbol gap"), (ulong)symbols) + 1;
                var value = wide ? Varint("frequency") : Take(1, "code length")[0];
                if (symbol >= symbols || value >= 1u << RansTable.MaxScaleBits)
                {
                    throw new InvalidInputException($"A table of {owner} names a value or frequency out of range.");
                }
                pairs.Add(((int)symbol, (uint)value));
            }
            return pairs;
        }
    }
}
