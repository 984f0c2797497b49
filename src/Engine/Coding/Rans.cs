namespace WeightShare.Engine.Coding;

/// <summary>
/// Range asymmetric numeral systems (rANS, Duda 2013) with a 32-bit state and byte-wise renormalisation: codes a
/// symbol of frequency f out of 2^S in S - log2(f) bits, so a stream comes within a few bytes of the entropy its table
/// describes; Huffman codes spend at least one bit per symbol and round every length to whole bits.
/// Stream: the final encoder state (4 bytes, most significant first), then the renormalisation bytes in the order the
/// decoder takes them. The decoder ends where the encoder started (state 2^23): anything else is a corrupt stream.
/// </summary>
public static class Rans
{
    internal const uint Lower = 1u << 23;

    /// <summary>Codes <paramref name="symbols"/> with <paramref name="table"/>.</summary>
    /// <exception cref="ArgumentException">A symbol has no frequency in the table.</exception>
    public static byte[] Encode(ReadOnlySpan<ushort> symbols, RansTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var frequencies = table.Frequencies;
        var cumulative = table.Cumulative;
        var scaleBits = table.ScaleBits;
        // Every symbol emits at most two bytes (frequency >= 1 leaves at most 16 + 7 bits to shed).
        var buffer = new byte[(2L * symbols.Length) + 4];
        var at = buffer.Length;
        var x = Lower;
        for (var i = symbols.Length - 1; i >= 0; i--)
        {
            var s = symbols[i];
            var f = s < frequencies.Length ? frequencies[s] : 0;
            if (f == 0)
            {
                throw new ArgumentException($"Symbol {s} has no frequency in the table.", nameof(symbols));
            }
            var limit = ((Lower >> scaleBits) << 8) * f;
            while (x >= limit)
            {
                buffer[--at] = (byte)x;
                x >>= 8;
            }
            x = ((x / f) << scaleBits) + (x % f) + cumulative[s];
        }
        buffer[--at] = (byte)x;
        buffer[--at] = (byte)(x >> 8);
        buffer[--at] = (byte)(x >> 16);
        buffer[--at] = (byte)(x >> 24);
        return buffer.AsSpan(at).ToArray();
    }

    /// <summary>Decodes exactly <paramref name="output"/>.Length symbols from <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidInputException">The stream is too short, too long, or does not end where a stream must.</exception>
    public static void Decode(ReadOnlySpan<byte> stream, RansTable table, Span<ushort> output)
    {
        ArgumentNullException.ThrowIfNull(table);
        var x = RansReader.InitialState(stream);
        var at = 4;
        RansReader.Decode(stream, table, table.SymbolOfSlot(), ref x, ref at, output);
        RansReader.CheckEnd(at, stream.Length, x);
    }
}
