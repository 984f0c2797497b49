namespace WeightShare.Engine.Coding;

/// <summary>
/// Decodes a canonical Huffman stream a chunk at a time, so that a caller holds only the chunk, never every symbol:
/// <see cref="Read"/> as often as needed, then <see cref="Finish"/> to check the stream held them all.
/// </summary>
internal sealed class HuffmanReader(HuffmanDecoder decoder, byte[] bits) : ISymbolReader
{
    private readonly long _availableBits = (long)bits.Length * 8;

    // Left-aligned bit window; bytes past the end read as zeros and are caught by the consumed check.
    private ulong _window;
    private int _windowBits;
    private int _next;
    private long _consumed;

    /// <summary>Decodes the next <paramref name="output"/>.Length symbols.</summary>
    /// <exception cref="InvalidInputException">The stream ends before them or holds a bit pattern that is no code.</exception>
    public void Read(Span<ushort> output)
    {
        for (var i = 0; i < output.Length; i++)
        {
            while (_windowBits <= 56)
            {
                ulong b = _next < bits.Length ? bits[_next] : 0UL;
                _next++;
                _window |= b << (56 - _windowBits);
                _windowBits += 8;
            }

            var length = decoder.DecodeOne(_window, out output[i]);
            _window <<= length;
            _windowBits -= length;
            _consumed += length;
        }

        if (_consumed > _availableBits)
        {
            throw new InvalidInputException("The index stream ends before all its symbols do.");
        }
    }

    /// <summary>Checks that the symbols read so far fit in the stream (padding bits after them are allowed).</summary>
    /// <exception cref="InvalidInputException">They do not.</exception>
    public void Finish()
    {
        if (_consumed > _availableBits)
        {
            throw new InvalidInputException("The index stream ends before all its symbols do.");
        }
    }
}
