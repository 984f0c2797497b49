using System.Buffers.Binary;

namespace WeightShare.Fuzz;

/// <summary>
/// Takes the parameters of a harness (counts, sizes, a split point) from the front of an input, so afl mutates them
/// like any other byte. Reading past the end gives zeros and sets <see cref="Short"/>: harnesses skip such inputs.
/// </summary>
internal sealed class HarnessInput(byte[] input)
{
    private int _at;

    /// <summary>True once a read ran past the end of the input.</summary>
    public bool Short { get; private set; }

    /// <summary>The bytes not yet taken.</summary>
    public byte[] Rest() => input.AsSpan(Math.Min(_at, input.Length)).ToArray();

    public byte Byte()
    {
        var bytes = Take(1);
        return bytes.Length == 1 ? bytes[0] : (byte)0;
    }

    public ushort UInt16()
    {
        var bytes = Take(2);
        return bytes.Length == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : (ushort)0;
    }

    public uint UInt32()
    {
        var bytes = Take(4);
        return bytes.Length == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : 0;
    }

    /// <summary>The next <paramref name="count"/> bytes, or fewer at the end (and <see cref="Short"/> set).</summary>
    public ReadOnlySpan<byte> Take(int count)
    {
        var start = Math.Min(_at, input.Length);
        var available = Math.Max(0, Math.Min(count, input.Length - start));
        Short |= available < count;
        _at = start + available;
        return input.AsSpan(start, available);
    }
}
