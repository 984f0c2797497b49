using BenchmarkDotNet.Attributes;
using WeightShare.Engine.Coding;
using WeightShare.Engine.Sharing;

namespace WeightShare.Engine.Benchmarks;

/// <summary>
/// Entropy coders of codebook indices side by side: canonical Huffman (the paper's) against rANS, encode and decode,
/// on the indices of 2 M Laplace-distributed weights cut into k = 24 uniform bins (a low-entropy distribution where
/// Huffman's whole-bit codes cost the most). The bytes each writes are printed once in the setup.
/// </summary>
[MemoryDiagnoser]
public class CodingBenchmarks
{
    private ushort[] _symbols = [];
    private ushort[] _decoded = [];
    private int[] _lengths = [];
    private RansTable? _table;
    private byte[] _huffman = [];
    private byte[] _rans = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var weights = new float[2_000_000];
        for (var i = 0; i < weights.Length; i++)
        {
            var u = random.NextDouble() - 0.5;
            weights[i] = (float)(-0.02 * Math.Sign(u) * Math.Log(1 - (2 * Math.Abs(u))));
        }
        var bins = WeightBins.Assign(weights, 24);
        _symbols = WeightSharing.Indices(bins);
        _decoded = new ushort[_symbols.Length];
        var counts = WeightSharing.CountPerValue(bins);
        _lengths = CanonicalHuffman.CodeLengths(counts);
        _table = RansTable.FromCounts(counts, 14);
        _huffman = CanonicalHuffman.Encode(_symbols, _lengths);
        _rans = Rans.Encode(_symbols, _table);
        var entropy = counts.Where(c => c > 0).Sum(c => -c * Math.Log2((double)c / _symbols.Length)) / 8;
        Console.WriteLine($"// {_symbols.Length} symbols, {bins.Count} values: Huffman {_huffman.Length} bytes, rANS {_rans.Length} bytes, entropy {entropy:F0} bytes");
    }

    [Benchmark(Baseline = true, Description = "Huffman encode")]
    public int HuffmanEncode() => CanonicalHuffman.Encode(_symbols, _lengths).Length;

    [Benchmark(Description = "rANS encode")]
    public int RansEncode() => Rans.Encode(_symbols, _table!).Length;

    [Benchmark(Description = "Huffman decode")]
    public int HuffmanDecode() => CanonicalHuffman.Decode(_huffman, _lengths, _symbols.Length).Length;

    [Benchmark(Description = "rANS decode")]
    public int RansDecode()
    {
        Rans.Decode(_rans, _table!, _decoded);
        return _decoded.Length;
    }
}
