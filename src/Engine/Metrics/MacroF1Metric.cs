using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Metrics;

/// <summary>Macro-averaged F1 against the labels (the authors' earlier code): for classes of unequal size.</summary>
public sealed class MacroF1Metric() : LabelMetric(new MetricTraits("macroF1", "macro-F1", "The unweighted mean over classes of each class's F1 score, against the labels."))
{
    /// <summary>False: the interval would be accuracy's, not macro-F1's.</summary>
    public override bool HasLossInterval => false;

    /// <summary>Macro-F1 pairs no outcome with the uploaded model's: its loss interval would be accuracy's, so none is given.</summary>
    public override MetricAccumulator Start(MetricTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new ClassificationAccumulator(target.Labels, target.Classes);
    }

    /// <inheritdoc />
    public override double ValueOf(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.MacroF1;
    }
}
