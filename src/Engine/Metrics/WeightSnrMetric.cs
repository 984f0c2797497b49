namespace WeightShare.Engine.Metrics;

/// <summary>
/// Data-free: the shared weights' signal-to-noise ratio against the uploaded ones, in dB / 100
/// (<see cref="Evaluation.WeightFidelity"/>). Needs neither an architecture nor data, and says nothing of accuracy.
/// </summary>
public sealed class WeightSnrMetric() : MetricDefinition(new MetricTraits(
    MetricId, "weight SNR", "The shared weights' signal-to-noise ratio in dB against the uploaded ones: no data, no model run, and nothing said of accuracy.")
{
    Unit = MetricUnit.Decibels,
    NeedsData = false,
    NeedsClassScores = false,
    ChoiceLabel = "Weight SNR (dB)",
    AxisName = "Weight SNR",
    ModeText = "Data-free: the weights' signal-to-noise ratio (no data, no model run)",
    ReportText = "weight SNR in dB (data-free: no data, no model run)",
})
{
    /// <summary>The id of the data-free metric.</summary>
    public const string MetricId = "weightSnr";

    /// <inheritdoc />
    public override MetricAccumulator Start(MetricTarget target) =>
        throw new InvalidOperationException("weightSnr measures the weights, not a model's outputs.");
}
