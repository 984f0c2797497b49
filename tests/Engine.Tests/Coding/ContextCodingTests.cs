using System.Diagnostics;
using CsCheck;
using WeightShare.Engine.Coding;

namespace WeightShare.Engine.Tests.Coding;

/// <summary>The context-adaptive binary arithmetic coder of codebook indices: round trips, and corrupt streams refused.</summary>
public class ContextCodingTests
{
    [Fact]
    public void EncodeDecode_RandomAlphabetsAndDistributions_RoundTrips()
    {
        // Alphabets of 1 to 400 sparse indices around any centre, geometric ranks of any spread with either sign
        // weighted, runs of zeros, any row length: every stream decodes to what was coded and is read to its end.
        var cases = Gen.Select(Gen.Int[1, 400], Gen.Int[0, 6000], Gen.Int[1, 300], Gen.Double[0.02, 0.98], Gen.Double[0, 1], Gen.Int);
        cases.Sample((size, count, rowLength, spread, negativeShare, seed) =>
        {
            var random = new Random(seed);
            var alphabet = SparseAlphabet(random, size, random.Next(size));
            var symbols = Geometric(random, alphabet, count, spread, negativeShare);

            var stream = ContextCoding.Encode(symbols, alphabet, rowLength);
            var decoded = new ushort[count];
            ContextCoding.Decode(stream, alphabet, rowLength, decoded);

            Assert.Equal(symbols, decoded);
        }, iter: 150);
    }

    public static TheoryData<string> Adversarial => ["all zeros", "one edge symbol", "max alphabet", "extremes", "long runs", "one side", "long rows", "empty"];

    [Theory]
    [MemberData(nameof(Adversarial))]
    public void EncodeDecode_AdversarialStream_RoundTrips(string name)
    {
        // Arrange
        var random = new Random(7);
        var (alphabet, symbols, rowLength) = name switch
        {
            "all zeros" => (new ContextAlphabet([12], 0), Enumerable.Repeat((ushort)12, 300_000).ToArray(), 3L),
            "one edge symbol" => (new ContextAlphabet([0, 1, 2, 3, 4], 2), Enumerable.Repeat((ushort)4, 50_000).ToArray(), 9L),
            "max alphabet" => (Full(ushort.MaxValue, 32_767), Enumerable.Range(0, 200_000).Select(_ => (ushort)random.Next(ushort.MaxValue)).ToArray(), 512L),
            "extremes" => (Full(ushort.MaxValue, 100), Enumerable.Range(0, 50_000).Select(i => (ushort)(i % 2 == 0 ? 0 : ushort.MaxValue - 1)).ToArray(), 1L),
            "long runs" => (Full(41, 20), LongRuns(random), 1568L),
            "one side" => (Full(30, 0), Enumerable.Range(0, 40_000).Select(_ => (ushort)Math.Min(29, (int)(-3 * Math.Log(1 - random.NextDouble())))).ToArray(), 144L),
            "long rows" => (Full(9, 4), Enumerable.Range(0, 300_000).Select(i => (ushort)(i / 1000 % 9)).ToArray(), 200_000L),
            _ => (Full(3, 1), Array.Empty<ushort>(), 1L),
        };

        // Act
        var stream = ContextCoding.Encode(symbols, alphabet, rowLength);
        var decoded = new ushort[symbols.Length];
        ContextCoding.Decode(stream, alphabet, rowLength, decoded);

        // Assert
        Assert.Equal(symbols, decoded);
        if (name == "all zeros")
        {
            // An alphabet of one index codes nothing but the stream's end.
            Assert.Single(stream);
        }
    }

    [Fact]
    public void Encode_SkewedIndicesWithRowScales_BeatsTheOrderZeroEntropy()
    {
        // Arrange: rows with scales of their own, as the rows of a weight matrix have: a static table sees only the
        // mixture; the contexts see each row's scale within a few ranks of it.
        var random = new Random(3);
        var alphabet = Full(21, 10);
        var symbols = new ushort[256 * 512];
        for (var i = 0; i < symbols.Length; i++)
        {
            var scale = (i / 512 % 4) switch { 0 => 0.05, 1 => 0.4, 2 => 1.5, _ => 3.0 };
            var magnitude = Math.Min(10, (int)(-scale * Math.Log(1 - random.NextDouble())));
            symbols[i] = (ushort)(10 + (random.Next(2) == 0 ? magnitude : -magnitude));
        }
        var counts = new long[21];
        foreach (var s in symbols)
        {
            counts[s]++;
        }
        var entropy = counts.Where(c => c > 0).Sum(c => -c * Math.Log2((double)c / symbols.Length)) / 8;

        // Act
        var stream = ContextCoding.Encode(symbols, alphabet, 512);

        // Assert: at least 10 % below the entropy a per-tensor rANS table comes within bytes of.
        Assert.True(stream.Length < 0.9 * entropy, $"{stream.Length} bytes against an entropy of {entropy:F0}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(100)]
    public void Decode_TruncatedStream_ThrowsInvalidInput(int removed)
    {
        // Arrange
        var (alphabet, symbols) = Sample();
        var stream = ContextCoding.Encode(symbols, alphabet, 64);

        // Act
        var error = Record.Exception(() => ContextCoding.Decode(stream[..^removed], alphabet, 64, new ushort[symbols.Length]));

        // Assert
        Assert.IsType<InvalidInputException>(error);
    }

    [Fact]
    public void Decode_StreamWithATrailingByte_ThrowsInvalidInput()
    {
        var (alphabet, symbols) = Sample();
        var stream = ContextCoding.Encode(symbols, alphabet, 64);

        var error = Record.Exception(() => ContextCoding.Decode([.. stream, 0x5A], alphabet, 64, new ushort[symbols.Length]));

        Assert.IsType<InvalidInputException>(error);
    }

    [Fact]
    public void Decode_CodeOutsideTheRange_ThrowsInvalidInputAtOnce()
    {
        // 0xFFFFFFFF is the one first code no encoder writes: it equals the initial range.
        var error = Record.Exception(() => ContextCoding.Decode([0xFF, 0xFF, 0xFF, 0xFF], Full(5, 2), 1, new ushort[10]));

        Assert.IsType<InvalidInputException>(error);
    }

    [Fact]
    public void Decode_RandomBytesClaimingManyIndices_ThrowsInvalidInputQuickly()
    {
        // Arrange: garbage in place of a stream, claiming 2 M indices of a 65,535-index alphabet (escapes galore).
        var random = new Random(11);
        var failures = 0;
        var clock = Stopwatch.StartNew();

        // Act
        for (var trial = 0; trial < 20; trial++)
        {
            var garbage = new byte[random.Next(1, 4096)];
            random.NextBytes(garbage);
            var alphabet = trial % 2 == 0 ? Full(ushort.MaxValue, random.Next(ushort.MaxValue)) : Full(7, 3);
            var error = Record.Exception(() => ContextCoding.Decode(garbage, alphabet, 1 + trial, new ushort[2_000_000]));
            failures += error is InvalidInputException ? 1 : 0;
            Assert.True(error is null or InvalidInputException, $"trial {trial}: {error}");
        }

        // Assert: every one refused, each within the work of its declared indices.
        Assert.Equal(20, failures);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{clock.Elapsed}");
    }

    [Fact]
    public void Encode_IndexOutsideTheAlphabet_ThrowsArgumentException()
    {
        var alphabet = new ContextAlphabet([2, 5, 9], 1);

        Assert.Throws<ArgumentException>(() => ContextCoding.Encode([2, 5, 6], alphabet, 1));
    }

    [Theory]
    [InlineData(new ushort[] { }, 0)]
    [InlineData(new ushort[] { 3, 3 }, 0)]
    [InlineData(new ushort[] { 4, 2 }, 0)]
    [InlineData(new ushort[] { 1, 2 }, 2)]
    public void Alphabet_NotIncreasingOrCentreOutside_ThrowsInvalidInput(ushort[] symbols, int centre)
    {
        Assert.Throws<InvalidInputException>(() => new ContextAlphabet(symbols, centre));
    }

    [Fact]
    public void AlphabetFromCounts_Counts_ListsTheUsedIndicesAroundTheirMedian()
    {
        long[] counts = [0, 5, 0, 1, 30, 2, 0, 20];

        var alphabet = ContextAlphabet.FromCounts(counts);

        Assert.Equal([1, 3, 4, 5, 7], alphabet.Symbols);
        Assert.Equal(4, alphabet.Symbols[alphabet.Centre]);
    }

    [Theory]
    [InlineData(new long[] { 16, 3, 3, 3 }, 27)]
    [InlineData(new long[] { 128, 1568 }, 1568)]
    [InlineData(new long[] { 10 }, 1)]
    [InlineData(new long[] { }, 1)]
    public void RowLength_Shape_IsTheProductOfTheDimensionsAfterTheFirst(long[] shape, long expected)
    {
        Assert.Equal(expected, ContextCoding.RowLength(shape));
    }

    private static ContextAlphabet Full(int size, int centre) => new([.. Enumerable.Range(0, size).Select(i => (ushort)i)], centre);

    private static ContextAlphabet SparseAlphabet(Random random, int size, int centre)
    {
        var symbols = new ushort[size];
        var at = random.Next(100);
        for (var i = 0; i < size; i++)
        {
            symbols[i] = (ushort)at;
            at += 1 + (random.Next(4) == 0 ? random.Next(20) : 0);
        }
        return new ContextAlphabet(symbols, centre);
    }

    private static ushort[] Geometric(Random random, ContextAlphabet alphabet, int count, double spread, double negativeShare)
    {
        var symbols = new ushort[count];
        for (var i = 0; i < count; i++)
        {
            // Stretches of zeros between stretches of the distribution, as dead and live rows alternate.
            var magnitude = (i / 97 % 5 == 0) ? 0 : (int)Math.Floor(Math.Log(1 - random.NextDouble()) / Math.Log(spread));
            var negative = random.NextDouble() < negativeShare;
            var position = negative ? Math.Max(0, alphabet.Centre - magnitude) : Math.Min(alphabet.Symbols.Length - 1, alphabet.Centre + magnitude);
            symbols[i] = alphabet.Symbols[position];
        }
        return symbols;
    }

    private static ushort[] LongRuns(Random random)
    {
        var symbols = new List<ushort>();
        symbols.AddRange(Enumerable.Repeat((ushort)20, 1_000_000));
        symbols.AddRange(Enumerable.Range(0, 20_000).Select(_ => (ushort)random.Next(41)));
        symbols.AddRange(Enumerable.Repeat((ushort)40, 200_000));
        symbols.AddRange(Enumerable.Repeat((ushort)0, 200_000));
        return [.. symbols];
    }

    private static (ContextAlphabet Alphabet, ushort[] Symbols) Sample()
    {
        var random = new Random(5);
        var alphabet = Full(25, 12);
        return (alphabet, Geometric(random, alphabet, 20_000, 0.4, 0.5));
    }
}
