namespace WeightShare.Engine.Evaluation;

/// <summary>What calibration changed: every shared value, and the unshared small parameters by name.</summary>
/// <param name="Values">The calibrated shared values, one per codebook entry.</param>
/// <param name="SmallParameters">The calibrated unshared parameters, by name, flattened.</param>
/// <param name="FirstLoss">The loss (<see cref="Loss"/>) of the first step's batch.</param>
/// <param name="LastLoss">The loss of the last step's batch.</param>
public sealed record CalibrationResult(float[] Values, IReadOnlyDictionary<string, float[]> SmallParameters, double FirstLoss, double LastLoss)
{
    /// <summary>What the losses measure.</summary>
    public CalibrationLoss Loss { get; init; } = CalibrationLoss.Distillation;

    /// <summary>The loss's name for progress lines.</summary>
    public string LossName => Loss == CalibrationLoss.Labels ? "cross-entropy" : "distillation loss";
}
