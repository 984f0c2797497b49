namespace WeightShare.Engine.Evaluation;

/// <summary>
/// How shared values and the unshared small parameters are tuned to make a compressed model's outputs match the
/// original's (output distillation, no labels needed).
/// </summary>
/// <param name="Steps">Adam steps.</param>
/// <param name="BatchSize">Calibration samples per step.</param>
/// <param name="ValueLearningRate">Adam's step size for the shared values.</param>
/// <param name="SmallLearningRate">Adam's step size for the unshared small parameters (biases, norm scales and shifts).</param>
/// <param name="Seed">Seeds the order the calibration samples are drawn in.</param>
/// <param name="Loss">Distillation against the uploaded model's outputs, or cross-entropy with the labels.</param>
public sealed record CalibrationOptions(int Steps = 300, int BatchSize = 64, double ValueLearningRate = 1e-4, double SmallLearningRate = 1e-3, int Seed = 1,
    CalibrationLoss Loss = CalibrationLoss.Distillation);
