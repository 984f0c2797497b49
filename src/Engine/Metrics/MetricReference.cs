namespace WeightShare.Engine.Metrics;

/// <summary>What a metric compares the compressed model's outputs with, besides the labels.</summary>
public enum MetricReference
{
    /// <summary>Nothing of the uploaded model's: labels alone (or, data-free, the weights).</summary>
    None,

    /// <summary>The uploaded model's top-1 prediction for each sample.</summary>
    Predictions,

    /// <summary>The uploaded model's whole outputs, kept on the device for the run.</summary>
    Outputs,
}
