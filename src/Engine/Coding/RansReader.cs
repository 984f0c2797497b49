namespace WeightShare.Engine.Coding;

/// <summary>
/// Decodes a rANS stream a chunk at a time, so that a caller holds only the chunk, never every symbol:
/// <see cref="Read"/> as often as needed, then <see cref="Finish"/> to check the stream ends where the symbols do.
/// </summary>
internal sealed class RansReader : ISymbolReader
{
    private readonly byte[] _stream;
    private readonly RansTable _table;
    private readonly ushort[] _slots;
    private uint _x;
    private int _at;

    /// <exception cref="InvalidInputException">The stream is shorter than its state.</exception>
    public RansReader(byte[] stream, RansTable table)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(table);
        _x = InitialState(stream);
        _stream = stream;
        _table = table;
        _slots = table.SymbolOfSlot();
        _at = 4;
    }

    /// <summary>Decodes the next <paramref name="output"/>.Length symbols.</summary>
    /// <exception cref="InvalidInputException">The stream ends before them.</exception>
    public void Read(Span<ushort> output) => Decode(_stream, _table, _slots, ref _x, ref _at, output);

    /// <summary>The decoding loop, from state <paramref name="x"/> at byte <paramref name="at"/> of <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidInputException">The stream ends before the symbols do.</exception>
    internal static void Decode(ReadOnlySpan<byte> stream, RansTable table, ushort[] slots, ref uint x, ref int at, Span<ushort> output)
    {
        var frequencies = table.Frequencies;
        var cumulative = table.Cumulative;
        var scaleBits = table.ScaleBits;
        var mask = (1u << scaleBits) - 1;
        var state = x;
        var next = at;
        for (var i = 0; i < output.Length; i++)
        {
            var slot = state & mask;
            var s = slots[slot];
            output[i] = s;
            state = (frequencies[s] * (state >> scaleBits)) + slot - cumulative[s];
            while (state < Rans.Lower)
            {
                if (next >= stream.Length)
                {
                    throw new InvalidInputException("A rANS stream ends before all its symbols are decoded.");
                }
                state = (state << 8) | stream[next++];
            }
        }
        (x, at) = (state, next);
    }

    /// <summary>Checks that the stream ends exactly where the symbols read so far do.</summary>
    /// <exception cref="InvalidInputException">It does not: the stream is corrupt.</exception>
    public void Finish() => CheckEnd(_at, _stream.Length, _x);

    /// <summary>The encoder's final state, the stream's first four bytes, most significant first.</summary>
    /// <exception cref="InvalidInputException">The stream is shorter than that.</exception>
    internal static uint InitialState(ReadOnlySpan<byte> stream) => stream.Length >= 4
        ? ((uint)stream[0] << 24) | ((uint)stream[1] << 16) | ((uint)stream[2] << 8) | stream[3]
        : throw new InvalidInputException("A rANS stream is shorter than its 4-byte state.");

    /// <summary>A stream is valid only if decoding used every byte and ended in the encoder's initial state.</summary>
    /// <exception cref="InvalidInputException">It did not.</exception>
    internal static void CheckEnd(int at, int length, uint x)
    {
        if (at != length || x != Rans.Lower)
        {
            throw new InvalidInputException("A rANS stream does not end where its symbols do: the stream is corrupt.");
        }
    }
}
