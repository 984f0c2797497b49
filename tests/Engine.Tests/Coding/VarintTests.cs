using WeightShare.Engine.Coding;

namespace WeightShare.Engine.Tests.Coding;

public class VarintTests
{
    [Theory]
    [InlineData(0UL, new byte[] { 0x00 })]
    [InlineData(127UL, new byte[] { 0x7F })]
    [InlineData(128UL, new byte[] { 0x80, 0x01 })]
    [InlineData(300UL, new byte[] { 0xAC, 0x02 })]
    [InlineData(16_383UL, new byte[] { 0xFF, 0x7F })]
    [InlineData(16_384UL, new byte[] { 0x80, 0x80, 0x01 })]
    [InlineData(ulong.MaxValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void Write_Value_SevenBitsAByteLowFirstAndLengthAgrees(ulong value, byte[] expected)
    {
        // Arrange
        using var output = new MemoryStream();

        // Act
        Varint.Write(output, value);

        // Assert: the bytes of the .wsz format (docs/wsz-format.md, LEB128), and Length prices exactly them.
        Assert.Equal(expected, output.ToArray());
        Assert.Equal(expected.Length, Varint.Length(value));
    }

    [Fact]
    public void Write_NoStream_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Varint.Write(null!, 1));
    }
}
