using System.Buffers.Binary;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Tests.Checkpoints;

public class CheckpointPatcherFloatCodecTests
{
    [Theory]
    [InlineData(0x3F800000u, (ushort)0x3F80)] // 1.0 exactly
    [InlineData(0x3F808000u, (ushort)0x3F80)] // tie, kept bit even: stays
    [InlineData(0x3F818000u, (ushort)0x3F82)] // tie, kept bit odd: rounds up to even
    [InlineData(0x3F808001u, (ushort)0x3F81)] // just above the tie: rounds up
    [InlineData(0x3F807FFFu, (ushort)0x3F80)] // just below the tie: rounds down
    [InlineData(0xBF818000u, (ushort)0xBF82)] // negative tie to even
    [InlineData(0x7F7FFFFFu, (ushort)0x7F80)] // float.MaxValue rounds to +infinity
    [InlineData(0x7F800000u, (ushort)0x7F80)] // +infinity
    [InlineData(0x00000000u, (ushort)0x0000)]
    public void EncodeFloats_BFloat16_RoundsToNearestEven(uint floatBits, ushort expected)
    {
        byte[] bytes = FloatCodec.EncodeFloats([BitConverter.UInt32BitsToSingle(floatBits)], TensorDType.BFloat16);

        Assert.Equal(expected, BinaryPrimitives.ReadUInt16LittleEndian(bytes));
    }

    [Fact]
    public void EncodeFloats_BFloat16NaN_StaysNaN()
    {
        // 0x7F800001 is a NaN whose payload lives only in the bits bf16 drops.
        byte[] bytes = FloatCodec.EncodeFloats([BitConverter.UInt32BitsToSingle(0x7F800001u), float.NaN], TensorDType.BFloat16);

        Assert.All(FloatCodec.DecodeFloats(bytes, TensorDType.BFloat16), v => Assert.True(float.IsNaN(v)));
    }

    [Theory]
    [InlineData(1.0f, (ushort)0x3C00)]
    [InlineData(-2.0f, (ushort)0xC000)]
    [InlineData(0.1f, (ushort)0x2E66)]
    [InlineData(65504f, (ushort)0x7BFF)]
    [InlineData(65520f, (ushort)0x7C00)] // halfway above the largest half rounds to infinity
    [InlineData(5.9604645E-08f, (ushort)0x0001)] // smallest subnormal
    public void EncodeFloats_Float16_GivesIeeeHalfBits(float value, ushort expected)
    {
        byte[] bytes = FloatCodec.EncodeFloats([value], TensorDType.Float16);

        Assert.Equal(expected, BinaryPrimitives.ReadUInt16LittleEndian(bytes));
    }

    [Fact]
    public void EncodeFloats_Float32AndFloat64_AreLittleEndianIeee()
    {
        float[] values = [1.5f, -0.1f, 3.4e38f];

        byte[] f32 = FloatCodec.EncodeFloats(values, TensorDType.Float32);
        byte[] f64 = FloatCodec.EncodeFloats(values, TensorDType.Float64);

        Assert.Equal([0x00, 0x00, 0xC0, 0x3F], f32[..4]);
        Assert.Equal(BitConverter.SingleToUInt32Bits(-0.1f), BinaryPrimitives.ReadUInt32LittleEndian(f32.AsSpan(4)));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0xF8, 0x3F], f64[..8]);
        Assert.Equal((double)-0.1f, BinaryPrimitives.ReadDoubleLittleEndian(f64.AsSpan(8)));
        Assert.Equal(values, FloatCodec.DecodeFloats(f32, TensorDType.Float32));
        Assert.Equal(values, FloatCodec.DecodeFloats(f64, TensorDType.Float64));
    }

    [Theory]
    [InlineData(TensorDType.Float16)]
    [InlineData(TensorDType.BFloat16)]
    public void DecodeFloats_OfEncodedHalfPrecision_IsWithinHalfAnUlp(TensorDType dtype)
    {
        // Arrange
        var random = new Random(9);
        float[] values = Enumerable.Range(0, 1000).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
        double relative = dtype == TensorDType.Float16 ? Math.Pow(2, -11) : Math.Pow(2, -8);

        // Act
        float[] decoded = FloatCodec.DecodeFloats(FloatCodec.EncodeFloats(values, dtype), dtype);

        // Assert
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(Math.Abs(decoded[i] - values[i]) <= Math.Abs(values[i]) * relative + 1e-7, $"{values[i]} -> {decoded[i]}");
        }
    }

    [Fact]
    public void DecodeFloats_IntegerAndBoolTypes_ConvertByValue()
    {
        Assert.Equal([-1f, 256f], FloatCodec.DecodeFloats([0xFF, 0xFF, 0x00, 0x01], TensorDType.Int16));
        Assert.Equal([0f, 1f, 1f], FloatCodec.DecodeFloats([0, 1, 7], TensorDType.Bool));
        Assert.Equal([-128f, 127f], FloatCodec.DecodeFloats([0x80, 0x7F], TensorDType.Int8));
        Assert.Equal([200f], FloatCodec.DecodeFloats([200], TensorDType.UInt8));
    }

    [Fact]
    public void EncodeFloats_IntegerType_Throws()
    {
        Assert.Throws<ArgumentException>(() => FloatCodec.EncodeFloats([1f], TensorDType.Int32));
    }

    [Fact]
    public void DecodeFloats_PartialElement_Throws()
    {
        Assert.Throws<ArgumentException>(() => FloatCodec.DecodeFloats([1, 2, 3], TensorDType.Float32));
    }
}
