using WeightShare.Engine.Coding;

namespace WeightShare.Engine.Tests.Coding;

public class CanonicalHuffmanTests
{
    // Textbook Huffman cost: the sum of the weights of all merged nodes equals sum(f * depth).
    private static long ReferenceCost(long[] frequencies)
    {
        var queue = new PriorityQueue<long, long>();
        foreach (long f in frequencies.Where(f => f > 0))
        {
            queue.Enqueue(f, f);
        }

        if (queue.Count == 1)
        {
            return queue.Peek();
        }

        long cost = 0;
        while (queue.Count > 1)
        {
            long merged = queue.Dequeue() + queue.Dequeue();
            cost += merged;
            queue.Enqueue(merged, merged);
        }

        return cost;
    }

    private static double Kraft(int[] lengths) => lengths.Where(l => l > 0).Sum(l => Math.Pow(2, -l));

    private static long[] Fibonacci(int n)
    {
        var f = new long[n];
        f[0] = 1;
        f[1] = 1;
        for (int i = 2; i < n; i++)
        {
            f[i] = f[i - 1] + f[i - 2];
        }

        return f;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void CodeLengths_RandomSmallInputs_CostEqualsTextbookHuffman(int seed)
    {
        // Arrange
        var random = new Random(seed);
        var frequencies = Enumerable.Range(0, 2 + random.Next(40)).Select(_ => (long)(random.Next(4) == 0 ? 0 : random.Next(1, 1000))).ToArray();
        frequencies[0] = 7;
        frequencies[1] = 3;

        // Act
        var lengths = CanonicalHuffman.CodeLengths(frequencies);

        // Assert
        Assert.Equal(ReferenceCost(frequencies), CanonicalHuffman.TotalBits(frequencies, lengths));
        Assert.Equal(1.0, Kraft(lengths), 12);
        for (int s = 0; s < frequencies.Length; s++)
        {
            Assert.Equal(frequencies[s] == 0, lengths[s] == 0);
        }
    }

    [Fact]
    public void CodeLengths_SingleUsedSymbol_LengthOne()
    {
        var lengths = CanonicalHuffman.CodeLengths(new long[] { 0, 0, 9, 0 });

        Assert.Equal(new[] { 0, 0, 1, 0 }, lengths);
    }

    [Theory]
    [InlineData(30, 12)]
    [InlineData(40, 24)]
    [InlineData(16, 4)]
    public void CodeLengths_FibonacciBeyondLimit_LimitedCompleteAndDecodable(int n, int maxLength)
    {
        // Arrange: Fibonacci frequencies give a Huffman tree of depth n - 1, beyond the limit.
        var frequencies = Fibonacci(n);
        var unlimited = CanonicalHuffman.CodeLengths(frequencies, CanonicalHuffman.MaxSupportedLength);
        Assert.True(unlimited.Max() > maxLength);

        // Act
        var lengths = CanonicalHuffman.CodeLengths(frequencies, maxLength);
        var symbols = Enumerable.Range(0, n).Select(s => (ushort)s).Concat(Enumerable.Repeat((ushort)(n - 1), 50)).ToArray();
        var decoded = CanonicalHuffman.Decode(CanonicalHuffman.Encode(symbols, lengths), lengths, symbols.Length);

        // Assert
        Assert.InRange(lengths.Max(), 1, maxLength);
        Assert.Equal(1.0, Kraft(lengths), 12);
        Assert.Null(CanonicalHuffman.Validate(lengths));
        Assert.Equal(symbols, decoded);
        Assert.True(CanonicalHuffman.TotalBits(frequencies, lengths) >= ReferenceCost(frequencies));
    }

    [Fact]
    public void CodeLengths_MoreSymbolsThanTheLimitAllows_Throws()
    {
        Assert.Throws<ArgumentException>(() => CanonicalHuffman.CodeLengths(new long[] { 1, 1, 1, 1, 1 }, 2));
    }

    [Fact]
    public void Codes_CanonicalRule_ShorterCodesFirstThenBySymbol()
    {
        // Arrange: the example from RFC 1951 section 3.2.2 (lengths 3,3,3,3,3,2,4,4).
        int[] lengths = [3, 3, 3, 3, 3, 2, 4, 4];

        // Act
        var codes = CanonicalHuffman.Codes(lengths);

        // Assert
        Assert.Equal(new uint[] { 0b010, 0b011, 0b100, 0b101, 0b110, 0b00, 0b1110, 0b1111 }, codes);
    }

    [Fact]
    public void Encode_KnownCodes_MostSignificantBitFirst()
    {
        // Arrange: symbol 5 = "00", symbol 6 = "1110", symbol 0 = "010".
        int[] lengths = [3, 3, 3, 3, 3, 2, 4, 4];

        // Act
        var bytes = CanonicalHuffman.Encode(new ushort[] { 5, 6, 0 }, lengths);

        // Assert: 00 1110 01|0 then zero padding.
        Assert.Equal(new byte[] { 0b0011_1001, 0b0000_0000 }, bytes);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(17, 2)]
    [InlineData(1024, 3)]
    [InlineData(65536, 4)]
    public void EncodeDecode_RandomSymbols_RoundTrip(int alphabet, int seed)
    {
        // Arrange: a peaked distribution, like weight indices.
        var random = new Random(seed);
        var symbols = Enumerable.Range(0, 20000).Select(_ => (ushort)Math.Min(alphabet - 1, (int)Math.Abs(random.NextDouble() * random.NextDouble() * alphabet))).ToArray();
        var frequencies = new long[alphabet];
        foreach (ushort s in symbols)
        {
            frequencies[s]++;
        }

        var lengths = CanonicalHuffman.CodeLengths(frequencies);

        // Act
        var bytes = CanonicalHuffman.Encode(symbols, lengths);
        var decoded = CanonicalHuffman.Decode(bytes, lengths, symbols.Length);

        // Assert
        Assert.Equal(symbols, decoded);
        Assert.Equal((CanonicalHuffman.TotalBits(frequencies, lengths) + 7) / 8, bytes.Length);
    }

    [Fact]
    public void EncodeDecode_SingleSymbol_OneBitEach()
    {
        // Arrange
        var lengths = CanonicalHuffman.CodeLengths(new long[] { 0, 100 });
        var symbols = Enumerable.Repeat((ushort)1, 100).ToArray();

        // Act
        var bytes = CanonicalHuffman.Encode(symbols, lengths);
        var decoded = CanonicalHuffman.Decode(bytes, lengths, symbols.Length);

        // Assert
        Assert.Equal(13, bytes.Length);
        Assert.Equal(symbols, decoded);
    }

    [Fact]
    public void Decode_StreamTooShort_Throws()
    {
        // Arrange
        int[] lengths = [1, 2, 2];
        var bytes = CanonicalHuffman.Encode(new ushort[] { 1, 2, 1, 2 }, lengths);

        // Act / Assert: 8 bits hold 4 two-bit codes, not 5.
        Assert.Throws<InvalidInputException>(() => CanonicalHuffman.Decode(bytes, lengths, 5));
    }

    [Fact]
    public void Decode_PatternOutsideIncompleteCode_Throws()
    {
        // Arrange: one symbol coded "0"; a 1 bit is no code.
        int[] lengths = [1];

        // Act / Assert
        Assert.Throws<InvalidInputException>(() => CanonicalHuffman.Decode(new byte[] { 0x80 }, lengths, 1));
    }

    [Theory]
    [InlineData(new[] { 1, 1, 1 })]
    [InlineData(new[] { 0, 0 })]
    [InlineData(new[] { 32, 1 })]
    [InlineData(new[] { -1, 1 })]
    public void Decode_InvalidLengths_Throws(int[] lengths)
    {
        Assert.Throws<InvalidInputException>(() => CanonicalHuffman.Decode(new byte[4], lengths, 1));
    }

    [Fact]
    public void AverageCodeLength_KnownInput_WeightedMean()
    {
        var average = CanonicalHuffman.AverageCodeLength(new long[] { 3, 1 }, new[] { 1, 3 });

        Assert.Equal(1.5, average, 12);
    }
}
