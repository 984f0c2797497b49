namespace WeightShare.Engine.Coding;

/// <summary>
/// Context-adaptive binary arithmetic coding of codebook indices, after CABAC (H.264/HEVC) and DeepCABAC
/// (arXiv 1907.11900): each index becomes its signed rank r from the centre of its <see cref="ContextAlphabet"/> and is
/// coded as a zero flag, a sign, a truncated-unary magnitude and an Exp-Golomb escape, every flag and bin with an
/// adaptive probability chosen by what the stream has coded so far (<see cref="IndexNeighbourhood"/>). Unlike rANS
/// with a static table per tensor, the probabilities follow the tensor's rows and columns, and no table of
/// frequencies is stored. Every stream starts from probabilities of one half; a stream of an alphabet of one index
/// codes nothing but its end.
/// </summary>
public static class ContextCoding
{
    internal const int SignificanceBase = 0;
    internal const int SignBase = SignificanceBase + IndexNeighbourhood.SignificanceContexts;
    internal const int MagnitudeBase = SignBase + IndexNeighbourhood.SignContexts;
    internal const int Contexts = MagnitudeBase + IndexNeighbourhood.MagnitudeContexts;

    /// <summary>The longest Exp-Golomb prefix: ranks stay below 2^16.</summary>
    internal const int MaxEscapeBits = 16;

    /// <summary>Elements per row of a tensor of <paramref name="shape"/>: the product of every dimension after the first, 1 for a vector or a scalar.</summary>
    public static long RowLength(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long length = 1;
        for (var d = 1; d < shape.Count; d++)
        {
            length = shape[d] > 0 && length <= long.MaxValue / shape[d] ? length * shape[d] : long.MaxValue;
        }
        return length;
    }

    /// <summary>Codes <paramref name="symbols"/>, the indices of one tensor whose rows hold <paramref name="rowLength"/> elements.</summary>
    /// <exception cref="ArgumentException">A symbol is not in <paramref name="alphabet"/>.</exception>
    public static byte[] Encode(ReadOnlySpan<ushort> symbols, ContextAlphabet alphabet, long rowLength)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        var rankOf = alphabet.RankOf();
        var (above, below) = (alphabet.MaxAbove, alphabet.MaxBelow);
        var bits = new AdaptiveBits(Contexts);
        var neighbourhood = new IndexNeighbourhood(rowLength);
        // About a byte per four indices at the rates this codec sees; the buffer grows if needed.
        var encoder = new BinaryRangeEncoder((symbols.Length / 4) + 16);
        foreach (var symbol in symbols)
        {
            var rank = symbol < rankOf.Length ? rankOf[symbol] : int.MinValue;
            if (rank == int.MinValue)
            {
                throw new ArgumentException($"Index {symbol} is not in the stream's alphabet.", nameof(symbols));
            }
            // An alphabet of one index codes nothing: every rank is 0.
            if (above + below == 0)
            {
                continue;
            }
            encoder.Encode(bits, SignificanceBase + neighbourhood.Significance(), rank != 0 ? 1 : 0);
            if (rank != 0)
            {
                var negative = rank < 0 ? 1 : 0;
                if (above > 0 && below > 0)
                {
                    encoder.Encode(bits, SignBase + neighbourhood.Sign(), negative);
                }
                EncodeMagnitude(encoder, bits, MagnitudeBase + neighbourhood.Magnitude(negative), Math.Abs(rank), negative == 1 ? below : above);
            }
            neighbourhood.Push(rank);
        }
        return encoder.Finish();
    }

    /// <summary>Decodes exactly <paramref name="output"/>.Length indices from <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidInputException">The stream is corrupt, too short or too long.</exception>
    public static void Decode(byte[] stream, ContextAlphabet alphabet, long rowLength, Span<ushort> output)
    {
        var reader = new ContextReader(stream, alphabet, rowLength);
        reader.Read(output);
        reader.Finish();
    }

    // Truncated unary: bins "magnitude > j" for j = 1 .. min(largest - 1, UnaryBins), stopping at the first 0; past
    // UnaryBins (and only when the largest magnitude lies beyond) the rest as order-0 Exp-Golomb in bypass bits.
    private static void EncodeMagnitude(BinaryRangeEncoder encoder, AdaptiveBits bits, int context, int magnitude, int largest)
    {
        var limit = Math.Min(largest - 1, IndexNeighbourhood.UnaryBins);
        for (var j = 1; j <= limit; j++)
        {
            var more = magnitude > j ? 1 : 0;
            encoder.Encode(bits, context + j - 1, more);
            if (more == 0)
            {
                return;
            }
        }
        if (limit < largest - 1)
        {
            var value = (uint)(magnitude - IndexNeighbourhood.UnaryBins - 1) + 1;
            var length = 31 - System.Numerics.BitOperations.LeadingZeroCount(value);
            for (var i = 0; i < length; i++)
            {
                encoder.EncodeBypass(1);
            }
            encoder.EncodeBypass(0);
            for (var i = length - 1; i >= 0; i--)
            {
                encoder.EncodeBypass((int)(value >> i) & 1);
            }
        }
    }
}
