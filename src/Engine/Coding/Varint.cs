namespace WeightShare.Engine.Coding;

/// <summary>Unsigned LEB128: seven bits a byte, low bits first, the high bit set on every byte but the last.</summary>
public static class Varint
{
    /// <summary>Writes <paramref name="value"/>.</summary>
    public static void Write(Stream output, ulong value)
    {
        ArgumentNullException.ThrowIfNull(output);
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }

    /// <summary>Bytes <see cref="Write"/> takes for <paramref name="value"/>.</summary>
    public static int Length(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }
        return length;
    }
}
