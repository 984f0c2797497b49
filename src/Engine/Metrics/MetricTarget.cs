namespace WeightShare.Engine.Metrics;

/// <summary>What one split offers a metric to measure against: its labels and the uploaded model's own answers.</summary>
/// <param name="Labels">The samples' labels (all zero for a dataset without labels).</param>
/// <param name="Classes">How many classes the labels range over (0 without labels).</param>
/// <param name="Predictions">The uploaded model's top-1 predictions, for metrics that ask for them.</param>
/// <param name="PredictedClasses">How many classes the uploaded model scores, with <paramref name="Predictions"/>.</param>
/// <param name="Outputs">The uploaded model's outputs on the split ([samples, …] on the device), for metrics that ask for them.</param>
public sealed record MetricTarget(int[] Labels, int Classes, int[]? Predictions = null, int PredictedClasses = 0, TorchSharp.torch.Tensor? Outputs = null);
