using System.Security.Cryptography;
using WeightShare.Engine.Coding;

namespace WeightShare.Engine.Tests.Coding;

/// <summary>
/// The coders' streams and tables are the .wsz format: files written by earlier releases and decoder/wsz.py read these
/// exact bytes. A change that keeps the encoder and the decoder in step (a context chosen differently, a table rounded
/// otherwise, a Huffman length limited another way) passes every round trip and still breaks every file already
/// written, so each coder's output for fixed inputs is pinned here by its SHA-256, and decoded back. A deliberate format
/// change is a new coder byte in the .wsz, never a new pin. (Mutation testing showed such changes passing the suite
/// before these pins: docs/benchmarks.md, "Mutation testing".)
/// </summary>
public class StreamFormatPinTests
{
    [Theory]
    [InlineData("skewed", 14, "546903dcbe7036a2")]
    [InlineData("rare", 12, "b20f7bb361a037b7")]
    [InlineData("wide", 16, "4ddd08a99f088045")]
    [InlineData("narrow", 8, "4369a99bbfb978eb")]
    public void Rans_FixedIndices_TableAndStreamAsPinned(string name, int scaleBits, string pinned)
    {
        // Arrange
        var symbols = Indices(name);
        var counts = Counts(symbols);
        var table = RansTable.FromCounts(counts, scaleBits);

        // Act
        var stream = Rans.Encode(symbols, table);
        var decoded = new ushort[symbols.Length];
        Rans.Decode(stream, RansTable.FromFrequencies(table.Frequencies, scaleBits), decoded);

        // Assert
        Assert.Equal(symbols, decoded);
        Assert.Equal(pinned, Hash(table.Frequencies.SelectMany(BitConverter.GetBytes), stream));
    }

    [Theory]
    [InlineData("skewed", 24, "706d75f859b540f3")]
    [InlineData("rare", 24, "f2457f710e9c754a")]
    [InlineData("rare", 5, "dfd7dff435212970")]
    [InlineData("wide", 24, "88b4199fb6eacb1e")]
    public void Huffman_FixedIndices_LengthsAndStreamAsPinned(string name, int maxLength, string pinned)
    {
        // Arrange
        var symbols = Indices(name);
        var lengths = CanonicalHuffman.CodeLengths(Counts(symbols), maxLength);

        // Act
        var stream = CanonicalHuffman.Encode(symbols, lengths);
        var decoded = CanonicalHuffman.Decode(stream, lengths, symbols.Length);

        // Assert
        Assert.Equal(symbols, decoded);
        Assert.Equal(pinned, Hash(lengths.Select(l => (byte)l), stream));
    }

    [Theory]
    [InlineData("skewed", 64L, "d4c26a17a82e8f44")]
    [InlineData("rows", 512L, "5f263eb5f093a042")]
    [InlineData("runs", 1568L, "84bcccfec7ab0429")]
    [InlineData("wide", 9L, "7443c8731ea23e86")]
    [InlineData("rows", 1L, "1c801daba6f40078")]
    public void Context_FixedIndices_AlphabetAndStreamAsPinned(string name, long rowLength, string pinned)
    {
        // Arrange
        var symbols = Indices(name);
        var alphabet = ContextAlphabet.FromCounts(Counts(symbols));

        // Act
        var stream = ContextCoding.Encode(symbols, alphabet, rowLength);
        var decoded = new ushort[symbols.Length];
        ContextCoding.Decode(stream, alphabet, rowLength, decoded);

        // Assert
        Assert.Equal(symbols, decoded);
        Assert.Equal(pinned, Hash(alphabet.Symbols.SelectMany(BitConverter.GetBytes).Append((byte)alphabet.Centre), stream));
    }

    /// <summary>Fixed pseudo-random indices from a generator of this file's own (no dependence on System.Random).</summary>
    private static ushort[] Indices(string name)
    {
        var state = (ulong)name.Length * 0x9E3779B97F4A7C15UL + 1;
        double Next()
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            return (state >> 11) * (1.0 / (1UL << 53));
        }
        int Geometric(double mean) => (int)Math.Floor(-Math.Log(1 - Next()) * mean);
        ushort Around(int centre, int limit, double mean)
        {
            var magnitude = Geometric(mean);
            return (ushort)Math.Clamp(Next() < 0.5 ? centre - magnitude : centre + magnitude, 0, limit);
        }
        return name switch
        {
            // Weight indices around a zero level: most near the centre, a long thin tail.
            "skewed" => [.. Enumerable.Range(0, 30_000).Select(_ => Around(40, 80, 2.5))],
            // A dominant index and a few used once: the table's rounding has to settle on both sides.
            "rare" => [.. Enumerable.Range(0, 20_000).Select(i => (ushort)(i % 997 == 0 ? 3 + (i / 997 % 29) : i % 7 == 0 ? 1 : 0))],
            // A wide alphabet with large jumps: the context coder's escapes, rANS's 16-bit tables.
            "wide" => [.. Enumerable.Range(0, 8_000).Select(_ => Around(2_000, 4_095, 300))],
            // Few indices, little skew.
            "narrow" => [.. Enumerable.Range(0, 5_000).Select(_ => (ushort)Math.Min(5, Geometric(1.5)))],
            // Rows with scales of their own, and dead columns: the activity and column contexts.
            "rows" => [.. Enumerable.Range(0, 64 * 512).Select(i => i % 512 % 13 == 0 ? (ushort)20 : Around(20, 40, (i / 512 % 4) switch { 0 => 0.05, 1 => 0.5, 2 => 2, _ => 5 }))],
            // Long runs of the centre and of the extremes between bursts of noise.
            "runs" => [.. Enumerable.Range(0, 60_000).Select(i => (i / 5_000 % 3) switch { 0 => (ushort)20, 1 => Around(20, 40, 4), _ => (ushort)(i / 15_000 % 2 == 0 ? 0 : 40) })],
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private static long[] Counts(ushort[] symbols)
    {
        var counts = new long[symbols.Max() + 1];
        foreach (var s in symbols)
        {
            counts[s]++;
        }
        return counts;
    }

    private static string Hash(IEnumerable<byte> table, byte[] stream) => Convert.ToHexStringLower(SHA256.HashData([.. table, .. stream]))[..16];
}
