namespace WeightShare.Engine.Metrics;

/// <summary>Top-1 agreement with the uploaded model's own predictions: a classifier's figure that needs no labels.</summary>
public sealed class AgreementMetric() : MetricDefinition(new MetricTraits(
    "agreement", "agreement", "How often the compressed model's top-1 class is the uploaded model's (classifiers; no labels needed).")
{
    Reference = MetricReference.Predictions,
    ChoiceLabel = "Agreement with the uploaded model",
    ModeText = "Agreement: top-1 predictions as the uploaded model's (no labels used)",
    ReportText = "top-1 agreement with the uploaded model's predictions",
    TestHelp = "Share of the held-out test samples on which the shared-weight checkpoint predicts what the uploaded model predicts",
})
{
    /// <inheritdoc />
    public override bool HasLossInterval => true;

    /// <inheritdoc />
    public override MetricAccumulator Start(MetricTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var predictions = target.Predictions ?? throw new InvalidOperationException("Agreement needs the uploaded model's predictions.");
        return new ClassificationAccumulator(predictions, target.PredictedClasses, original: predictions);
    }
}
