namespace WeightShare.Engine.Coding;

/// <summary>
/// Decodes a context-coded stream (<see cref="ContextCoding"/>) a chunk at a time: <see cref="Read"/> as often as
/// needed, then <see cref="Finish"/> to check the stream ends where the indices do. Every index takes a bounded number
/// of bits (at most 1 + 1 + 14 + 33), so a crafted stream costs no more time than its segment's element count allows.
/// </summary>
internal sealed class ContextReader : ISymbolReader
{
    private readonly BinaryRangeDecoder _decoder;
    private readonly ContextAlphabet _alphabet;
    private readonly AdaptiveBits _bits = new(ContextCoding.Contexts);
    private readonly IndexNeighbourhood _neighbourhood;

    /// <exception cref="InvalidInputException">The stream cannot start a valid code.</exception>
    public ContextReader(byte[] stream, ContextAlphabet alphabet, long rowLength)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(alphabet);
        _decoder = new BinaryRangeDecoder(stream);
        _alphabet = alphabet;
        _neighbourhood = new IndexNeighbourhood(rowLength);
    }

    /// <inheritdoc />
    public void Read(Span<ushort> output)
    {
        var symbols = _alphabet.Symbols;
        var centre = _alphabet.Centre;
        var (above, below) = (_alphabet.MaxAbove, _alphabet.MaxBelow);
        var decoder = _decoder;
        var bits = _bits;
        var neighbourhood = _neighbourhood;
        if (above + below == 0)
        {
            output.Fill(symbols[0]);
            return;
        }
        for (var i = 0; i < output.Length; i++)
        {
            var rank = 0;
            if (decoder.Decode(bits, ContextCoding.SignificanceBase + neighbourhood.Significance()) != 0)
            {
                var negative = above > 0 && below > 0 ? decoder.Decode(bits, ContextCoding.SignBase + neighbourhood.Sign()) : above == 0 ? 1 : 0;
                var magnitude = DecodeMagnitude(ContextCoding.MagnitudeBase + neighbourhood.Magnitude(negative), negative == 1 ? below : above);
                rank = negative == 1 ? -magnitude : magnitude;
            }
            output[i] = symbols[centre + rank];
            neighbourhood.Push(rank);
        }
    }

    /// <inheritdoc />
    public void Finish() => _decoder.Finish();

    private int DecodeMagnitude(int context, int largest)
    {
        var limit = Math.Min(largest - 1, IndexNeighbourhood.UnaryBins);
        for (var j = 1; j <= limit; j++)
        {
            if (_decoder.Decode(_bits, context + j - 1) == 0)
            {
                return j;
            }
        }
        if (limit == largest - 1)
        {
            return largest;
        }
        var length = 0;
        while (_decoder.DecodeBypass() != 0)
        {
            if (++length > ContextCoding.MaxEscapeBits)
            {
                throw new InvalidInputException("A context-coded stream holds an escape longer than any index.");
            }
        }
        var value = 1L;
        for (var i = 0; i < length; i++)
        {
            value = (value << 1) | (uint)_decoder.DecodeBypass();
        }
        var magnitude = IndexNeighbourhood.UnaryBins + value;
        return magnitude <= largest
            ? (int)magnitude
            : throw new InvalidInputException("A context-coded stream codes an index outside its alphabet.");
    }
}
