using System.Runtime.CompilerServices;

namespace WeightShare.Engine.Coding;

/// <summary>
/// Decodes what <see cref="BinaryRangeEncoder"/> writes: the 32-bit code starts from the stream's first four bytes,
/// and every renormalisation shifts in the next byte, or a zero once the stream is done. A valid stream is consumed
/// to exactly three bytes past its end (<see cref="Finish"/>); a stream that would need more is refused at once, so a
/// truncated or crafted stream costs no more than the symbols its segment declares.
/// </summary>
internal sealed class BinaryRangeDecoder
{
    private const uint Top = 1u << 24;

    /// <summary>The zero bytes past its end a valid stream is read to.</summary>
    public const int Padding = 3;

    private readonly byte[] _stream;
    private int _at;
    private uint _range = uint.MaxValue;
    private uint _code;

    /// <exception cref="InvalidInputException">The stream cannot start a valid code.</exception>
    public BinaryRangeDecoder(byte[] stream)
    {
        _stream = stream;
        for (var i = 0; i < 4; i++)
        {
            _code = (_code << 8) | Next();
        }
        if (_code >= _range)
        {
            throw new InvalidInputException("A context-coded stream starts with a code outside its range: the stream is corrupt.");
        }
    }

    /// <summary>Decodes a bit with context <paramref name="context"/> of <paramref name="bits"/>, then adapts it.</summary>
    /// <exception cref="InvalidInputException">The stream ends before the bit.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Decode(AdaptiveBits bits, int context)
    {
        var bound = (_range >> AdaptiveBits.PrecisionBits) * bits.ZeroProbability(context);
        int bit;
        if (_code < bound)
        {
            _range = bound;
            bit = 0;
        }
        else
        {
            _code -= bound;
            _range -= bound;
            bit = 1;
        }
        bits.Update(context, bit);
        while (_range < Top)
        {
            _range <<= 8;
            _code = (_code << 8) | Next();
        }
        return bit;
    }

    /// <summary>Decodes a bit of probability one half.</summary>
    /// <exception cref="InvalidInputException">The stream ends before the bit.</exception>
    public int DecodeBypass()
    {
        _range >>= 1;
        var bit = 0;
        if (_code >= _range)
        {
            _code -= _range;
            bit = 1;
        }
        while (_range < Top)
        {
            _range <<= 8;
            _code = (_code << 8) | Next();
        }
        return bit;
    }

    /// <summary>Checks that the stream was read to exactly its padding: no byte of it left over, none missing.</summary>
    /// <exception cref="InvalidInputException">It was not: the stream is corrupt.</exception>
    public void Finish()
    {
        if (_at != _stream.Length + Padding)
        {
            throw new InvalidInputException("A context-coded stream does not end where its indices do: the stream is corrupt.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Next()
    {
        var at = _at++;
        if ((uint)at < (uint)_stream.Length)
        {
            return _stream[at];
        }
        return at < _stream.Length + Padding
            ? 0u
            : throw new InvalidInputException("A context-coded stream ends before all its indices are decoded.");
    }
}
