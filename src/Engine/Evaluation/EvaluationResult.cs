namespace WeightShare.Engine.Evaluation;

/// <summary>Classification figures of one model on one set of samples.</summary>
/// <param name="Accuracy">Top-1 accuracy in [0, 1].</param>
/// <param name="MacroF1">The unweighted mean over classes of each class's F1 score.</param>
/// <param name="Samples">How many samples were evaluated.</param>
public sealed record EvaluationResult(double Accuracy, double MacroF1, int Samples)
{
    /// <summary>The figure the search optimises for <paramref name="metric"/>.</summary>
    public double Of(Metric metric) => metric == Metric.MacroF1 ? MacroF1 : Accuracy;
}
