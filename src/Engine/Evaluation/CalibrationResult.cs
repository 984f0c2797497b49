namespace WeightShare.Engine.Evaluation;

/// <summary>What calibration changed: every shared value, and the unshared small parameters by name.</summary>
/// <param name="Values">The calibrated shared values, one per codebook entry.</param>
/// <param name="SmallParameters">The calibrated unshared parameters, by name, flattened.</param>
/// <param name="FirstLoss">The distillation loss (KL divergence to the original's outputs) of the first step's batch.</param>
/// <param name="LastLoss">The loss of the last step's batch.</param>
public sealed record CalibrationResult(float[] Values, IReadOnlyDictionary<string, float[]> SmallParameters, double FirstLoss, double LastLoss);
