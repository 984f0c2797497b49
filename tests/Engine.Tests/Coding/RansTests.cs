using WeightShare.Engine.Coding;

namespace WeightShare.Engine.Tests.Coding;

public class RansTests
{
    [Theory]
    [InlineData(1, 1000, 12)]
    [InlineData(2, 100_000, 14)]
    [InlineData(17, 200_000, 16)]
    [InlineData(300, 50_000, 16)]
    public void EncodeDecode_SkewedSymbols_RoundTripsWithinABytesOfTheTablesCost(int alphabet, int count, int scaleBits)
    {
        // Arrange: a geometric-like distribution, the shape of weight indices around zero.
        var random = new Random(alphabet);
        var symbols = new ushort[count];
        for (var i = 0; i < count; i++)
        {
            var s = (int)Math.Floor(-Math.Log(1 - random.NextDouble()) * alphabet / 4.0);
            symbols[i] = (ushort)Math.Min(alphabet - 1, s);
        }
        var counts = new long[alphabet];
        foreach (var s in symbols)
        {
            counts[s]++;
        }
        var table = RansTable.FromCounts(counts, scaleBits);

        // Act
        var stream = Rans.Encode(symbols, table);
        var decoded = new ushort[count];
        Rans.Decode(stream, table, decoded);

        // Assert
        Assert.Equal(symbols, decoded);
        var predicted = table.CodedBits(counts) / 8;
        Assert.InRange(stream.Length, predicted, predicted + 8);
    }

    [Fact]
    public void CodedBits_DominantSymbol_BeatsHuffmansOneBitFloor()
    {
        // 90 % of the weights in one bin: Huffman needs at least 1 bit each, the entropy is about 0.57 bits.
        long[] counts = [90_000, 5_000, 5_000];
        var table = RansTable.FromCounts(counts, 14);
        var huffman = CanonicalHuffman.AverageCodeLength(counts, CanonicalHuffman.CodeLengths(counts));

        var rans = table.CodedBits(counts) / counts.Sum();

        Assert.True(huffman >= 1);
        Assert.InRange(rans, 0.568, 0.575);
    }

    [Fact]
    public void FromCounts_RareSymbols_EveryUsedSymbolKeepsAFrequencyAndTheTotalIsExact()
    {
        long[] counts = [10_000_000, 1, 0, 1, 3, 0];

        var table = RansTable.FromCounts(counts, 12);

        Assert.Equal(4096u, table.Frequencies.Aggregate(0u, (a, b) => a + b));
        Assert.Equal([true, true, false, true, true, false], table.Frequencies.Select(f => f > 0));
        Assert.Equal(4, table.UsedSymbols);
    }

    [Fact]
    public void EncodeDecode_OneSymbolOnly_StreamIsItsStateAlone()
    {
        var table = RansTable.FromCounts([0, 5], 10);
        var symbols = Enumerable.Repeat((ushort)1, 5000).ToArray();

        var stream = Rans.Encode(symbols, table);
        var decoded = new ushort[symbols.Length];
        Rans.Decode(stream, table, decoded);

        Assert.Equal(4, stream.Length);
        Assert.Equal(symbols, decoded);
    }

    [Fact]
    public void Decode_CorruptOrTruncatedStream_IsRefused()
    {
        var counts = new long[] { 500, 300, 200 };
        var table = RansTable.FromCounts(counts, 12);
        var symbols = Enumerable.Range(0, 1000).Select(i => (ushort)(i % 3)).ToArray();
        var stream = Rans.Encode(symbols, table);
        var output = new ushort[symbols.Length];

        Assert.Throws<InvalidInputException>(() => Rans.Decode(stream.AsSpan(0, stream.Length - 1), table, output));
        Assert.Throws<InvalidInputException>(() => Rans.Decode([.. stream, 7], table, output));
        Assert.Throws<InvalidInputException>(() => Rans.Decode(stream.AsSpan(0, 3), table, output));
        var flipped = stream.ToArray();
        flipped[1] ^= 0x40;
        Assert.Throws<InvalidInputException>(() => Rans.Decode(flipped, table, output));
    }

    [Fact]
    public void Encode_SymbolWithoutFrequency_IsRefused()
    {
        var table = RansTable.FromCounts([3, 0, 4], 8);

        Assert.Throws<ArgumentException>(() => Rans.Encode([0, 1, 2], table));
    }

    [Fact]
    public void FromFrequencies_WrongTotal_IsRefused()
    {
        var error = Assert.Throws<InvalidInputException>(() => RansTable.FromFrequencies([100, 100], 8));

        Assert.Contains("sum to 200", error.Message);
    }

    [Theory]
    [InlineData(RansTable.MinScaleBits)]
    [InlineData(RansTable.MaxScaleBits)]
    public void FromFrequencies_PrecisionAtItsBounds_IsATable(int scaleBits)
    {
        var table = RansTable.FromFrequencies([(1u << scaleBits) - 1, 1], scaleBits);

        Assert.Equal(scaleBits, table.ScaleBits);
        Assert.Equal([0u, (1u << scaleBits) - 1, 1u << scaleBits], table.Cumulative);
    }

    [Theory]
    [InlineData(RansTable.MinScaleBits - 1)]
    [InlineData(RansTable.MaxScaleBits + 1)]
    public void FromFrequencies_PrecisionPastItsBounds_IsRefused(int scaleBits)
    {
        var error = Assert.Throws<InvalidInputException>(() => RansTable.FromFrequencies([(1u << scaleBits) - 1, 1], scaleBits));

        Assert.Contains($"{scaleBits}-bit precision", error.Message);
    }

    [Theory]
    [InlineData(RansTable.MinScaleBits - 1)]
    [InlineData(RansTable.MaxScaleBits + 1)]
    public void FromCounts_PrecisionPastItsBounds_Throws(int scaleBits)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RansTable.FromCounts([3, 4], scaleBits));
    }

    [Fact]
    public void CodedBits_SymbolOutsideTheTable_IsInfinite()
    {
        var table = RansTable.FromCounts([3, 0, 4], 8);

        Assert.Equal(double.PositiveInfinity, table.CodedBits([1, 1, 1]));
        Assert.Equal(double.PositiveInfinity, table.CodedBits([1, 0, 1, 1]));
        Assert.Equal(8 - Math.Log2(table.Frequencies[0]) + 8 - Math.Log2(table.Frequencies[2]), table.CodedBits([1, 0, 1, 0]), 9);
    }

    [Fact]
    public void FromCounts_Proportional_FrequenciesWithinOneOfTheExactShare()
    {
        // 1 : 2 : 5 of 2^12 is 512 : 1024 : 2560 exactly; 3 : 7 of 2^8 rounds to 77 : 179, which already sum to 256.
        var exact = RansTable.FromCounts([100, 200, 500], 12);
        var rounded = RansTable.FromCounts([3, 7], 8);

        Assert.Equal([512u, 1024u, 2560u], exact.Frequencies);
        Assert.Equal([77u, 179u], rounded.Frequencies);
    }

    [Fact]
    public void FromCounts_RoundingShortOrOver_SettledOnTheLargestThenTheLowestSymbol()
    {
        // Thirds of 256 round to 85 each, one short: the first of the largest takes it. Sixths round to 43 each, two
        // over: the first two of the largest give one each back. A rare symbol keeps its 1, which puts the total one
        // over: of the two symbols at 128, the lower gives it back.
        var thirds = RansTable.FromCounts([1, 1, 1], 8);
        var sixths = RansTable.FromCounts([1, 1, 1, 1, 1, 1], 8);
        var rare = RansTable.FromCounts([1_000_000, 1, 0, 999_999], 8);

        Assert.Equal([86u, 85u, 85u], thirds.Frequencies);
        Assert.Equal([42u, 42u, 43u, 43u, 43u, 43u], sixths.Frequencies);
        Assert.Equal([127u, 1u, 0u, 128u], rare.Frequencies);
    }
}
