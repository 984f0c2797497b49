namespace WeightShare.Engine.Evaluation;

/// <summary>What each metric needs and how it reads.</summary>
public static class Metrics
{
    /// <summary>True for metrics compared with labels: accuracy and macro-F1.</summary>
    public static bool NeedsLabels(this Metric metric) => metric is Metric.Accuracy or Metric.MacroF1;

    /// <summary>True for metrics held as dB / 100 (100 × the metric reads in dB).</summary>
    public static bool IsDecibels(this Metric metric) => metric is Metric.WeightSnr or Metric.OutputFidelity;
}
