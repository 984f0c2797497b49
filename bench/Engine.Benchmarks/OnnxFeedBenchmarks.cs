using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Benchmarks;

/// <summary>
/// One search evaluation of the ONNX fixture CNN in ONNX Runtime: new shared weights, then a pass over 1,000 samples.
/// The weights are fed as overridable initializers with the batch (one session for the whole run) or written into the
/// model and a new session built, as a backend without that feature would have to. WSW_BENCH_ONNX names another
/// model (WSW_BENCH_ONNX_SHAPE its sample shape, e.g. 3,32,32; WSW_BENCH_ONNX_SAMPLES the samples per pass).
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "BenchmarkDotNet never disposes a benchmark instance; the [GlobalCleanup] method disposes the fields.")]
public class OnnxFeedBenchmarks
{
    private OnnxModel? _fed;
    private OnnxModel? _rebuilt;
    private EvaluationSet? _validation;
    private string[] _names = [];
    private float[] _weights = [];
    private float[] _scaled = [];
    private bool _flip;

    [GlobalSetup]
    public void Setup()
    {
        var path = Environment.GetEnvironmentVariable("WSW_BENCH_ONNX") ?? Path.Combine(AppContext.BaseDirectory, "fixtures", "fmnist_cnn.onnx");
        var shape = (Environment.GetEnvironmentVariable("WSW_BENCH_ONNX_SHAPE") ?? "1,28,28").Split(',').Select(int.Parse).ToArray();
        var samples = int.Parse(Environment.GetEnvironmentVariable("WSW_BENCH_ONNX_SAMPLES") ?? "1000", System.Globalization.CultureInfo.InvariantCulture);
        var layout = CheckpointReader.Read(path);
        _fed = OnnxModel.Load(path, layout, OnnxWeightFeed.Inputs);
        _rebuilt = OnnxModel.Load(path, layout, OnnxWeightFeed.Rebuild);
        _names = _fed.Tensors.Where(t => t.IsParameter && t.Shape.Length >= 2).Select(t => t.Name).ToArray();
        _weights = _fed.ReadFlat(_names);
        _scaled = _weights.Select(w => w * 0.9f).ToArray();
        var random = new Random(1);
        var features = new float[samples * shape.Aggregate(1, (product, dimension) => product * dimension)];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = (float)(random.NextDouble() * 2 - 1);
        }
        _validation = new EvaluationSet(features, Enumerable.Range(0, samples).Select(i => i % 10).ToArray(), shape, 10, torch.CPU);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _validation?.Dispose();
        _fed?.Dispose();
        _rebuilt?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "weights fed as inputs, one session (overridable initializers)")]
    public double Fed() => Evaluate(_fed!);

    [Benchmark(Description = "weights written, session rebuilt")]
    public double Rebuilt() => Evaluate(_rebuilt!);

    private double Evaluate(OnnxModel model)
    {
        // Alternate two weight sets, as a search changes them before every evaluation.
        _flip = !_flip;
        model.WriteFlat(_names, _flip ? _scaled : _weights);
        return model.Evaluate(_validation!).Accuracy;
    }
}
