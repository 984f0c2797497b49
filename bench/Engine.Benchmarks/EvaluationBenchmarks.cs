using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Sharing;

namespace WeightShare.Engine.Benchmarks;

/// <summary>
/// What one fitness evaluation of the search costs (share the weights through k bins, write them into the model,
/// classify the validation split) against the model's bare forward pass over the same samples.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "BenchmarkDotNet never disposes a benchmark instance; the [GlobalCleanup] method disposes the fields.")]
public class EvaluationBenchmarks
{
    private static readonly string[] Shared = ["conv1.weight", "conv2.weight", "fc1.weight", "fc2.weight"];
    private ScriptedModel? _model;
    private EvaluationSet? _validation;
    private float[] _original = [];
    private float[] _shared = [];
    private ushort[] _bins = [];
    private int _k = 2;

    /// <summary>Validation samples, the paper's 1000.</summary>
    [Params(1000)]
    public int Samples { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(Environment.ProcessorCount);
        _model = ScriptedModel.Load(Path.Combine(AppContext.BaseDirectory, "fixtures", "fmnist_cnn.pt"));
        // The cost of a forward pass does not depend on pixel values, so seeded noise of the right shape serves.
        var random = new Random(1);
        var features = new float[Samples * 28 * 28];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = (float)(random.NextDouble() * 2 - 1);
        }
        var labels = Enumerable.Range(0, Samples).Select(i => i % 10).ToArray();
        _validation = new EvaluationSet(features, labels, [1, 28, 28], 10, torch.CPU);
        _original = _model.ReadFlat(Shared);
        _shared = new float[_original.Length];
        _bins = new ushort[_original.Length];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _validation?.Dispose();
        _model?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "bare forward pass over the validation split")]
    public double Forward() => _model!.Evaluate(_validation!).Accuracy;

    [Benchmark(Description = "fitness evaluation: share through k bins + write + forward")]
    public double Fitness()
    {
        // A new k each call, as the search mostly asks for values it has not seen.
        _k = _k % 1023 + 2;
        var bins = WeightBins.Assign(_original, _k, _bins);
        var codebook = Codebook.FromBins(bins);
        WeightSharing.Dequantize(bins, codebook.Values, _shared);
        _model!.WriteFlat(Shared, _shared);
        return _model.Evaluate(_validation!).Accuracy;
    }
}
