namespace WeightShare.Engine.Metrics;

/// <summary>Top-1 accuracy against the labels (the paper's tables).</summary>
public sealed class AccuracyMetric() : LabelMetric(new MetricTraits("accuracy", "accuracy", "Top-1 accuracy against the labels (the paper's tables)."));
