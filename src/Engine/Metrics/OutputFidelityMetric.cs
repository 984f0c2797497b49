using TorchSharp;
using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Metrics;

/// <summary>
/// The signal-to-noise ratio of the model's outputs against the uploaded model's, in dB / 100: any output
/// (regression, embeddings, maps); no labels needed.
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
        private double _signal;
        private double _noise;

        public override void Add(torch.Tensor outputs, int start)
        {
            using var scope = torch.NewDisposeScope();
            var output = outputs.to(torch.float64);
            var expected = reference.narrow(0, start, outputs.shape[0]).to(torch.float64);
            if (!output.shape.SequenceEqual(expected.shape))
            {
                throw new InvalidInputException($"The model returned shape [{string.Join(", ", output.shape)}] where the uploaded model returned [{string.Join(", ", expected.shape)}].");
            }
            _signal += expected.square().sum().item<double>();
            _noise += (output - expected).square().sum().item<double>();
        }

        public override EvaluationResult Result() => WeightFidelity.Result(WeightFidelity.RatioDecibels(_signal, _noise));
    }
}
