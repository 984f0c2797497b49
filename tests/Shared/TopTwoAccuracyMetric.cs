using TorchSharp;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Metrics;

namespace WeightShare.Tests.Support;

/// <summary>
/// A test-only metric that shows what a new metric takes: one class and one registration line. A sample counts when
/// its label is among the model's two highest scores.
/// </summary>
public sealed class TopTwoAccuracyMetric() : MetricDefinition(new MetricTraits(MetricId, "top-2 accuracy", "Share of samples whose label is among the model's two highest scores.") { NeedsLabels = true })
{
    public const string MetricId = "topTwoAccuracy";

    public override MetricAccumulator Start(MetricTarget target) => new Accumulator(target.Labels);

    private sealed class Accumulator(int[] labels) : MetricAccumulator
    {
        private int _hits;
        private int _samples;

        public override void Add(torch.Tensor outputs, int start)
        {
            using var scope = torch.NewDisposeScope();
            var top = outputs.topk(2, dim: 1).indexes.to(torch.int64).cpu().data<long>().ToArray();
            for (var i = 0; i < top.Length / 2; i++)
            {
                var label = labels[start + i];
                _hits += top[2 * i] == label || top[(2 * i) + 1] == label ? 1 : 0;
            }
            _samples += top.Length / 2;
        }

        public override EvaluationResult Result() => new((double)_hits / _samples, (double)_hits / _samples, _samples);
    }
}
