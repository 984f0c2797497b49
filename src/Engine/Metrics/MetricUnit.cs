namespace WeightShare.Engine.Metrics;

/// <summary>How a metric's figure reads.</summary>
public enum MetricUnit
{
    /// <summary>A fraction in [0, 1], shown in %.</summary>
    Percent,

    /// <summary>A signal-to-noise ratio held as dB / 100 (the figure × 100 reads in dB; 100 dB stands for lossless).</summary>
    Decibels,
}
