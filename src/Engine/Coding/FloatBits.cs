using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Coding;

/// <summary>
/// float32 to the little-endian bit pattern of each floating dtype. Internal until it is unified with the
/// Checkpoints float codec.
/// </summary>
internal static class FloatBits
{
    /// <summary>The bit pattern of <paramref name="value"/> in <paramref name="dtype"/>, right-aligned.</summary>
    public static ulong Encode(float value, TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 => BitConverter.SingleToUInt32Bits(value),
        TensorDType.Float64 => BitConverter.DoubleToUInt64Bits(value),
        TensorDType.Float16 => BitConverter.HalfToUInt16Bits((Half)value),
        TensorDType.BFloat16 => ToBFloat16(value),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Only floating-point tensors are shared."),
    };

    /// <summary>bfloat16 is the top half of a float32; round to nearest, ties to even, keeping NaN a NaN.</summary>
    public static ushort ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            // Truncating could clear every mantissa bit and turn the NaN into an infinity.
            return (ushort)((bits >> 16) | 0x0040);
        }

        uint roundingBias = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }
}
