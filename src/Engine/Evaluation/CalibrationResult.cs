using System.Globalization;

namespace WeightShare.Engine.Evaluation;

/// <summary>What calibration changed: every shared value, and the unshared small parameters by name.</summary>
/// <param name="Values">The calibrated shared values, one per codebook entry.</param>
/// <param name="SmallParameters">The calibrated unshared parameters, by name, flattened.</param>
/// <param name="FirstLoss">The loss (<see cref="Loss"/>) of the first step's batch: the uncalibrated point's.</param>
/// <param name="LastLoss">The loss of the last step's batch.</param>
public sealed record CalibrationResult(float[] Values, IReadOnlyDictionary<string, float[]> SmallParameters, double FirstLoss, double LastLoss)
{
    /// <summary>What the losses measure.</summary>
    public CalibrationLoss Loss { get; init; } = CalibrationLoss.Distillation;

    /// <summary>
    /// The mean loss of the last steps (the early stop's last block, or the last 25 steps when it is off): where the
    /// calibration ended, without one batch's noise.
    /// </summary>
    public double RecentLoss { get; init; } = double.NaN;

    /// <summary>The steps run: the options' steps, or fewer when the early stop ended the calibration.</summary>
    public int Steps { get; init; }

    /// <summary>True when the early stop ended the calibration before its last step.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>The loss's name for progress lines.</summary>
    public string LossName => Loss == CalibrationLoss.Labels ? "cross-entropy" : "distillation loss";

    /// <summary>How the calibration went, for progress lines: the loss from the first batch to the last steps', and the steps.</summary>
    public string Outcome => string.Create(CultureInfo.InvariantCulture,
        $"{LossName} {FirstLoss:G3} to {RecentLoss:G3} in {Steps} steps{(StoppedEarly ? " (stopped early: the loss had stopped falling)" : "")}");
}
