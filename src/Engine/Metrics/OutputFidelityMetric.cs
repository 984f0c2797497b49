using TorchSharp;
using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Metrics;

/// <summary>
/// The signal-to-noise ratio of the model's outputs against the uploaded model's, in dB / 100: any output
/// (regression, embeddings, maps); no labels needed. Its result carries the ratio's 95 % interval
/// (<see cref="EvaluationResult.Interval"/>, by <see cref="SignalNoiseSums"/>) but no loss against the uploaded model:
/// the uploaded model is lossless here (100 dB), so a loss in dB below it would be a number no tolerance of points can
/// meet. A run of this metric therefore recommends no solution (<see cref="Pipeline.Recommendation"/> reads loss
/// intervals only); its solutions show the ratio with its interval, for the user to choose.
/// </summary>
public sealed class OutputFidelityMetric() : MetricDefinition(new MetricTraits(
    "outputFidelity", "output SNR", "The signal-to-noise ratio in dB of the outputs against the uploaded model's, for any output (regression, embeddings, maps); no labels needed.")
{
    Unit = MetricUnit.Decibels,
    NeedsClassScores = false,
    Reference = MetricReference.Outputs,
    ChoiceLabel = "Output SNR (dB, any output)",
    ModeText = "Output fidelity: the outputs' signal-to-noise ratio against the uploaded model's (no labels used)",
    ReportText = "output SNR in dB against the uploaded model's outputs",
    TestHelp = "Signal-to-noise ratio of the shared-weight checkpoint's outputs against the uploaded model's on the held-out test split",
})
{
    /// <inheritdoc />
    public override MetricAccumulator Start(MetricTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new Accumulator(target.Outputs ?? throw new InvalidOperationException("Output fidelity needs the uploaded model's outputs."));
    }

    private sealed class Accumulator(torch.Tensor reference) : MetricAccumulator
    {
        private readonly SignalNoiseSums _sums = new();

        public override void Add(torch.Tensor outputs, int start)
        {
            using var scope = torch.NewDisposeScope();
            var output = outputs.to(torch.float64);
            var expected = reference.narrow(0, start, outputs.shape[0]).to(torch.float64);
            if (!output.shape.SequenceEqual(expected.shape))
            {
                throw new InvalidInputException($"The model returned shape [{string.Join(", ", output.shape)}] where the uploaded model returned [{string.Join(", ", expected.shape)}].");
            }
            // Per sample, for the interval: the samples are the independent draws, not their output values.
            var rows = output.shape[0];
            var signal = expected.reshape(rows, -1).square().sum(1).cpu().data<double>().ToArray();
            var noise = (output - expected).reshape(rows, -1).square().sum(1).cpu().data<double>().ToArray();
            for (var i = 0; i < signal.Length; i++)
            {
                _sums.Add(signal[i], noise[i]);
            }
        }

        public override EvaluationResult Result() => WeightFidelity.Result(_sums.Decibels) with { Samples = (int)_sums.Samples, Interval = _sums.Interval() };
    }
}
