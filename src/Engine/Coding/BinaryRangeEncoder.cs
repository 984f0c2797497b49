using System.Runtime.CompilerServices;

namespace WeightShare.Engine.Coding;

/// <summary>
/// A binary range coder in the style of LZMA's (32-bit range, 64-bit low with a one-byte carry cache) coding bits with
/// adaptive probabilities (<see cref="AdaptiveBits"/>) or as bypass bits of probability one half.
/// The stream leaves out LZMA's first byte (always 0) and ends with the fewest bytes that pin the final interval: the
/// decoder reads exactly three zero bytes past the end (<see cref="BinaryRangeDecoder"/>).
/// </summary>
internal sealed class BinaryRangeEncoder
{
    private const uint Top = 1u << 24;

    private byte[] _buffer;
    private int _length;
    private ulong _low;
    private uint _range = uint.MaxValue;
    private byte _cache;
    private bool _hasCache;
    private long _pending;

    /// <param name="capacity">A first guess at the stream's length; the buffer grows when needed.</param>
    public BinaryRangeEncoder(int capacity) => _buffer = new byte[Math.Max(16, capacity)];

    /// <summary>Codes <paramref name="bit"/> with context <paramref name="context"/> of <paramref name="bits"/>, then adapts it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Encode(AdaptiveBits bits, int context, int bit)
    {
        var bound = (_range >> AdaptiveBits.PrecisionBits) * bits.ZeroProbability(context);
        if (bit == 0)
        {
            _range = bound;
        }
        else
        {
            _low += bound;
            _range -= bound;
        }
        bits.Update(context, bit);
        while (_range < Top)
        {
            _range <<= 8;
            ShiftLow();
        }
    }

    /// <summary>Codes <paramref name="bit"/> at probability one half.</summary>
    public void EncodeBypass(int bit)
    {
        _range >>= 1;
        if (bit != 0)
        {
            _low += _range;
        }
        while (_range < Top)
        {
            _range <<= 8;
            ShiftLow();
        }
    }

    /// <summary>Ends the stream and returns it.</summary>
    public byte[] Finish()
    {
        // Any value of [low, low + range) identifies the stream; range >= 2^24, so one with its low 24 bits zero is in
        // it. Two shifts write everything above those bits; the decoder reads the three zero bytes left as padding.
        _low = (_low + (Top - 1)) & ~(ulong)(Top - 1);
        ShiftLow();
        ShiftLow();
        return _buffer.AsSpan(0, _length).ToArray();
    }

    // Moves the top byte of the 32-bit window out. A byte of 0xFF may still take a carry, so runs of them wait.
    private void ShiftLow()
    {
        if ((uint)_low < 0xFF000000u || (_low >> 32) != 0)
        {
            var carry = (byte)(_low >> 32);
            if (_hasCache)
            {
                Write((byte)(_cache + carry));
            }
            for (; _pending > 0; _pending--)
            {
                Write((byte)(0xFF + carry));
            }
            _cache = (byte)(_low >> 24);
            _hasCache = true;
        }
        else
        {
            _pending++;
        }
        _low = (_low & 0x00FFFFFF) << 8;
    }

    private void Write(byte value)
    {
        if (_length == _buffer.Length)
        {
            Array.Resize(ref _buffer, checked(_buffer.Length * 2));
        }
        _buffer[_length++] = value;
    }
}
