using BenchmarkDotNet.Attributes;
using WeightShare.Engine.Sharing;

namespace WeightShare.Engine.Benchmarks;

/// <summary>
/// The paper's O(N) uniform-bin codebook against a plain copy of the same bytes (the floor) and against
/// 1-D k-means (Lloyd) with the same k, on a ResNet-18-sized weight vector.
/// </summary>
[MemoryDiagnoser]
public class QuantizeBenchmarks
{
    private float[] _weights = [];
    private float[] _copy = [];
    private ushort[] _bins = [];
    private float[] _output = [];

    /// <summary>Shared weights: ResNet-18 has 11.2 M.</summary>
    [Params(11_000_000)]
    public int Weights { get; set; }

    /// <summary>Bins (k).</summary>
    [Params(256)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Trained weights are roughly Laplace-distributed around zero.
        var random = new Random(1);
        _weights = new float[Weights];
        for (var i = 0; i < _weights.Length; i++)
        {
            var u = random.NextDouble() - 0.5;
            _weights[i] = (float)(-0.02 * Math.Sign(u) * Math.Log(1 - 2 * Math.Abs(u)));
        }
        _copy = new float[Weights];
        _bins = new ushort[Weights];
        _output = new float[Weights];
    }

    [Benchmark(Baseline = true, Description = "memcpy of the weights")]
    public void Memcpy() => _weights.AsSpan().CopyTo(_copy);

    [Benchmark(Description = "uniform bins: assign + means + dequantize")]
    public int UniformBins()
    {
        var bins = WeightBins.Assign(_weights, K, _bins);
        var codebook = Codebook.FromBins(bins);
        WeightSharing.Dequantize(bins, codebook.Values, _output);
        return bins.Count;
    }

    [Benchmark(Description = "k-means (Lloyd), 10 iterations")]
    public int KMeans() => KMeansCodebook.Fit(_weights, K, iterations: 10).Count;
}
