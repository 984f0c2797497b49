namespace WeightShare.Engine.Metrics;

/// <summary>
/// A metric's figure on a split with its 95 % confidence interval, in the metric's own units (output SNR: dB / 100,
/// higher is better), for a metric whose figure is not a loss against the uploaded model and so has no
/// <see cref="LossInterval"/>. The recommendation reads loss intervals only: a run of such a metric recommends nothing.
/// </summary>
/// <param name="Value">The measured figure.</param>
/// <param name="Lower">The interval's lower end: the least the figure may be, at 95 % confidence.</param>
/// <param name="Upper">The interval's upper end.</param>
public sealed record MetricInterval(double Value, double Lower, double Upper);
