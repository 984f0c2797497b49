namespace WeightShare.Engine.Metrics;

/// <summary>A classifier's figure against the labels: top-1 predictions tallied per class (accuracy, macro-F1).</summary>
/// <param name="traits">The metric's traits; it needs labels whatever they say.</param>
public abstract class LabelMetric(MetricTraits traits) : MetricDefinition(traits with { NeedsLabels = true })
{
    /// <inheritdoc />
    public override bool HasLossInterval => true;

    /// <inheritdoc />
    public override MetricAccumulator Start(MetricTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new ClassificationAccumulator(target.Labels, target.Classes, target.Predictions);
    }
}
