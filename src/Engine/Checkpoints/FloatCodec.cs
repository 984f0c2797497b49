using System.Buffers.Binary;
using System.Runtime.InteropServices;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Checkpoints;

/// <summary>
/// Converts between float32 values and the little-endian bytes checkpoints store, so shared weights computed in
/// float32 can be written back in the tensor's own element type.
/// </summary>
public static class FloatCodec
{
    /// <summary>
    /// Encodes <paramref name="values"/> as little-endian <paramref name="dtype"/> elements. F16 rounds to nearest
    /// even through <see cref="Half"/>; BF16 rounds to nearest even by hand (NaN stays NaN).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is not a floating-point type.</exception>
    public static byte[] EncodeFloats(ReadOnlySpan<float> values, TensorDType dtype)
    {
        var bytes = new byte[checked(values.Length * dtype.ElementSize())];
        EncodeFloats(values, dtype, bytes);
        return bytes;
    }

    /// <summary>As <see cref="EncodeFloats(ReadOnlySpan{float}, TensorDType)"/>, into the first values.Length elements of <paramref name="span"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is not a floating-point type, or <paramref name="span"/> is too short.</exception>
    public static void EncodeFloats(ReadOnlySpan<float> values, TensorDType dtype, Span<byte> span)
    {
        if (!dtype.IsFloatingPoint())
        {
            throw new ArgumentException($"Only floating-point element types can be encoded from float32, not {dtype}.", nameof(dtype));
        }

        if (span.Length < (long)values.Length * dtype.ElementSize())
        {
            throw new ArgumentException($"{values.Length} {dtype} elements need {(long)values.Length * dtype.ElementSize()} bytes; the span has {span.Length}.", nameof(span));
        }

        switch (dtype)
        {
            case TensorDType.Float32:
                for (int i = 0; i < values.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(span[(4 * i)..], values[i]);
                }

                break;
            case TensorDType.Float64:
                for (int i = 0; i < values.Length; i++)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(span[(8 * i)..], values[i]);
                }

                break;
            case TensorDType.Float16:
                for (int i = 0; i < values.Length; i++)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(span[(2 * i)..], (Half)values[i]);
                }

                break;
            default:
                for (int i = 0; i < values.Length; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(span[(2 * i)..], ToBFloat16(values[i]));
                }

                break;
        }

    }

    /// <summary>
    /// Decodes little-endian elements of <paramref name="dtype"/> into float32. Integer and bool types are
    /// converted by value (64-bit integers beyond 2^24 lose precision, as any float32 would).
    /// </summary>
    /// <exception cref="ArgumentException">The byte count is not a multiple of the element size.</exception>
    public static float[] DecodeFloats(ReadOnlySpan<byte> bytes, TensorDType dtype)
    {
        int size = dtype.ElementSize();
        if (bytes.Length % size != 0)
        {
            throw new ArgumentException($"{bytes.Length} bytes are not a whole number of {dtype} elements.", nameof(bytes));
        }

        var values = new float[bytes.Length / size];
        if (dtype == TensorDType.Float32 && BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
            return values;
        }

        for (int i = 0; i < values.Length; i++)
        {
            var e = bytes.Slice(i * size, size);
            values[i] = dtype switch
            {
                TensorDType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(e),
                TensorDType.Float64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(e),
                TensorDType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(e),
                TensorDType.BFloat16 => BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(e) << 16),
                TensorDType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(e),
                TensorDType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(e),
                TensorDType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(e),
                TensorDType.Int8 => (sbyte)e[0],
                TensorDType.UInt8 => e[0],
                TensorDType.Bool => e[0] != 0 ? 1f : 0f,
                _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
            };
        }

        return values;
    }

    private static ushort ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            // Keep the sign and force a quiet-NaN payload bit so truncation cannot turn NaN into infinity.
            return (ushort)((bits >> 16) | 0x0040);
        }

        // Round to nearest, ties to even: add 0x7FFF plus the lowest kept bit, then truncate.
        uint rounding = 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)((bits + rounding) >> 16);
    }
}
