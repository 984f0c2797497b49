namespace WeightShare.Engine.Evaluation;

/// <summary>Classification figures of one model on one set of samples.</summary>
/// <param name="Accuracy">Top-1 accuracy in [0, 1].</param>
/// <param name="MacroF1">The unweighted mean over classes of each class's F1 score.</param>
/// <param name="Samples">How many samples were evaluated.</param>
/// <remarks>A metric that is not a classification figure (e.g. a signal-to-noise ratio) gives its figure as both.</remarks>
public sealed record EvaluationResult(double Accuracy, double MacroF1, int Samples)
{
    /// <summary>
    /// What the model loses against the uploaded one on these samples, with its 95 % interval, for metrics that pair
    /// each sample's outcome with the uploaded model's (accuracy, agreement); null where none is measured.
    /// </summary>
    public Metrics.LossInterval? Loss { get; init; }

    /// <summary>
    /// The paired outcomes <see cref="Loss"/> comes from, so an interval at another confidence can be had (racing);
    /// null where <see cref="Loss"/> is.
    /// </summary>
    public Metrics.PairedCounts? Pairs { get; init; }

    /// <summary>
    /// The metric's own figure with its 95 % interval, for metrics whose figure is not a loss against the uploaded model
    /// (output fidelity: the SNR in dB / 100); null where none is measured.
    /// </summary>
    public Metrics.MetricInterval? Interval { get; init; }
}
