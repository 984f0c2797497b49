using System.Text;
using WeightShare.Engine.Checkpoints;

namespace WeightShare.Engine.Tests.Checkpoints;

public class ZipCrc32Tests
{
    [Theory]
    [InlineData("123456789", 0xCBF43926u)]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Compute_KnownVector_GivesStandardCrc(string text, uint expected)
    {
        Assert.Equal(expected, Crc32.Compute(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Append_InPieces_EqualsComputeOverTheWhole()
    {
        // Arrange
        var data = new byte[10_007];
        new Random(3).NextBytes(data);

        // Act
        uint crc = 0;
        int offset = 0;
        foreach (int size in new[] { 1, 7, 8, 9, 1000, 3, 8979 })
        {
            crc = Crc32.Append(crc, data.AsSpan(offset, size));
            offset += size;
        }

        // Assert
        Assert.Equal(data.Length, offset);
        Assert.Equal(Crc32.Compute(data), crc);
    }

    [Fact]
    public void Compute_EveryLength_MatchesBitwiseReference()
    {
        // Arrange
        var data = new byte[64];
        new Random(11).NextBytes(data);

        for (int length = 0; length <= data.Length; length++)
        {
            // Act
            uint fast = Crc32.Compute(data.AsSpan(0, length));

            // Assert
            Assert.Equal(Bitwise(data.AsSpan(0, length)), fast);
        }
    }

    private static uint Bitwise(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320 : c >> 1;
            }
        }

        return ~c;
    }
}
