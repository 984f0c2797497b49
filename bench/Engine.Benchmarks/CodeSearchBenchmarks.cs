using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using WeightShare.Engine.Codecs.Additive;
using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Benchmarks;

/// <summary>
/// The additive codec's cost, its code search: every vector of the fixture CNN's shared weights (d = 8, 25,842
/// vectors) coded with M = 2 codebooks of K = 256 codewords, in TorchSharp (batched distance products, top-k beam)
/// against a plain C# loop over every codeword, beside one forward pass of the model over 1,000 samples.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "BenchmarkDotNet never disposes a benchmark instance; the [GlobalCleanup] method disposes the fields.")]
public class CodeSearchBenchmarks
{
    private const int D = 8;
    private const int M = 2;
    private const int K = 256;
    private static readonly string[] Shared = ["conv1.weight", "conv2.weight", "fc1.weight", "fc2.weight"];
    private ScriptedModel? _model;
    private EvaluationSet? _validation;
    private float[] _rows = [];
    private float[] _codebooks = [];

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(Environment.ProcessorCount);
        _model = ScriptedModel.Load(Path.Combine(AppContext.BaseDirectory, "fixtures", "fmnist_cnn.pt"));
        var weights = _model.ReadFlat(Shared);
        _rows = new float[(weights.Length + D - 1) / D * D];
        weights.CopyTo(_rows, 0);
        // Codebooks of seeded rows and their scaled copies: what the fit starts from; the search's cost does not depend on their values.
        var random = new Random(1);
        _codebooks = new float[M * K * D];
        for (var word = 0; word < M * K; word++)
        {
            var row = random.Next(_rows.Length / D);
            for (var j = 0; j < D; j++)
            {
                _codebooks[(word * D) + j] = _rows[(row * D) + j] * (word < K ? 1f : 0.25f);
            }
        }
        var features = new float[1000 * 28 * 28];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = (float)(random.NextDouble() * 2 - 1);
        }
        _validation = new EvaluationSet(features, Enumerable.Range(0, 1000).Select(i => i % 10).ToArray(), [1, 28, 28], 10, torch.CPU);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _validation?.Dispose();
        _model?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "one forward pass over 1,000 validation samples")]
    public double Forward() => _model!.Evaluate(_validation!).Accuracy;

    [Benchmark(Description = "code search, plain C# loop, beam 1 (residual)")]
    public long PlainLoop()
    {
        var residual = new float[D];
        long checksum = 0;
        for (var row = 0; row < _rows.Length / D; row++)
        {
            _rows.AsSpan(row * D, D).CopyTo(residual);
            for (var book = 0; book < M; book++)
            {
                var best = 0;
                var bestDistance = float.MaxValue;
                for (var word = 0; word < K; word++)
                {
                    var codeword = _codebooks.AsSpan(((book * K) + word) * D, D);
                    var distance = 0f;
                    for (var j = 0; j < D; j++)
                    {
                        var difference = residual[j] - codeword[j];
                        distance += difference * difference;
                    }
                    if (distance < bestDistance)
                    {
                        (best, bestDistance) = (word, distance);
                    }
                }
                var chosen = _codebooks.AsSpan(((book * K) + best) * D, D);
                for (var j = 0; j < D; j++)
                {
                    residual[j] -= chosen[j];
                }
                checksum += best;
            }
        }
        return checksum;
    }

    [Benchmark(Description = "code search, TorchSharp, beam 1 (residual)")]
    public long TorchBeam1() => AdditiveCodeSearch.Encode(_rows, D, _codebooks, M, 1).Sum();

    [Benchmark(Description = "code search, TorchSharp, beam 4 (the codec's default)")]
    public long TorchBeam4() => AdditiveCodeSearch.Encode(_rows, D, _codebooks, M, 4).Sum();
}
