namespace WeightShare.Engine.Evaluation;

/// <summary>
/// How shared values and the unshared small parameters are tuned to make a compressed model's outputs match the
/// original's (output distillation, no labels needed).
/// </summary>
/// <param name="Steps">Adam steps at most.</param>
/// <param name="BatchSize">Calibration samples per step.</param>
/// <param name="ValueLearningRate">Adam's (peak) step size for the shared values.</param>
/// <param name="SmallLearningRate">Adam's (peak) step size for the unshared small parameters (biases, norm scales and shifts).</param>
/// <param name="Seed">Seeds the order the calibration samples are drawn in.</param>
/// <param name="Loss">Distillation against the uploaded model's outputs, or cross-entropy with the labels.</param>
/// <param name="Schedule">How the step sizes move over the steps.</param>
/// <param name="Patience">
/// Steps per check of the early stop: the calibration stops when the mean loss of the last <paramref name="Patience"/>
/// steps is not at least <paramref name="MinImprovement"/> (relative) below the best such mean before; 0 never stops early.
/// </param>
/// <param name="MinImprovement">The relative fall of the loss a check must show for the calibration to go on.</param>
public sealed record CalibrationOptions(int Steps = 100, int BatchSize = 64, double ValueLearningRate = 2e-3, double SmallLearningRate = 2e-2, int Seed = 1,
    CalibrationLoss Loss = CalibrationLoss.Distillation, CalibrationSchedule Schedule = CalibrationSchedule.WarmupCosine, int Patience = 25, double MinImprovement = 0.01);
