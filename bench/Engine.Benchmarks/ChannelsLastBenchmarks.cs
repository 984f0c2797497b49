using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Benchmarks;

/// <summary>
/// A forward pass over RGB images as the evaluator runs it (channels-last on the CPU) against the same pass on the
/// images as they are stored (channels-first). The model is WSW_BENCH_MODEL (a TorchScript classifier of 3 x 32 x 32
/// images, e.g. the ResNet-18 of docs/results.md), else the fixture rgb_conv.pt.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "BenchmarkDotNet never disposes a benchmark instance; the [GlobalCleanup] method disposes the fields.")]
public class ChannelsLastBenchmarks
{
    private ScriptedModel? _model;
    private EvaluationSet? _images;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(Environment.ProcessorCount);
        var path = Environment.GetEnvironmentVariable("WSW_BENCH_MODEL") is { Length: > 0 } model ? model : Path.Combine(AppContext.BaseDirectory, "fixtures", "rgb_conv.pt");
        _model = ScriptedModel.Load(path);
        // The cost of a forward pass does not depend on pixel values, so seeded noise of the right shape serves.
        var random = new Random(1);
        var features = new float[1024 * 3 * 32 * 32];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = (float)(random.NextDouble() * 2 - 1);
        }
        _images = new EvaluationSet(features, Enumerable.Range(0, 1024).Select(i => i % 10).ToArray(), [3, 32, 32], 10, torch.CPU);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _images?.Dispose();
        _model?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "1,024 images channels-first (as stored)")]
    public double ChannelsFirst()
    {
        _model!.ChannelsLast = false;
        return _model.Evaluate(_images!).Accuracy;
    }

    [Benchmark(Description = "1,024 images channels-last (what the evaluator runs)")]
    public double ChannelsLast()
    {
        _model!.ChannelsLast = true;
        return _model.Evaluate(_images!).Accuracy;
    }
}
