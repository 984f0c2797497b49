namespace WeightShare.Engine.Metrics;

/// <summary>
/// What a compressed model loses against the uploaded one on a split, with a 95 % confidence interval: in the metric's
/// units (0.01 = one point of accuracy), positive when the compressed model is worse.
/// </summary>
/// <param name="Loss">The measured loss.</param>
/// <param name="Lower">The interval's lower end.</param>
/// <param name="Upper">The interval's upper end: the most the model may lose, at 95 % confidence.</param>
public sealed record LossInterval(double Loss, double Lower, double Upper);
