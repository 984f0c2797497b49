namespace WeightShare.Engine.Evaluation;

/// <summary>How calibration's learning rates move over its steps.</summary>
public enum CalibrationSchedule
{
    /// <summary>The given rates at every step.</summary>
    Constant,

    /// <summary>
    /// A linear warm-up to the given rates over the first tenth of the steps, then a cosine decay to zero at the last
    /// step: larger rates can be used early without the noise of the last steps undoing what the first ones found.
    /// </summary>
    WarmupCosine,
}
