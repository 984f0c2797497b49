using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Compression;

/// <summary>
/// Calibration of the shared values and unshared small parameters by output distillation, for codecs that calibrate.
/// </summary>
/// <param name="Samples">Samples carved from the upload apart from validation and test (no labels needed); null takes
/// the codec's default (2000 for codecs that calibrate, at most half of what validation leaves; 0 otherwise).</param>
/// <param name="Steps">Adam steps per calibrated solution at most (100). On the ResNet-18 of docs/results.md, 100 steps at
/// 3e-4 / 3e-3 left three calibrated points within 0.1 point (three of 3,000 validation samples) of where 300 steps at
/// 1e-4 / 1e-3 left them, in a third of the time (the additive codec's fine-tuning shares these settings).</param>
/// <param name="BatchSize">Calibration samples per step.</param>
/// <param name="ValueLearningRate">Adam's (peak) step size for the shared values (3e-4).</param>
/// <param name="SmallLearningRate">Adam's (peak) step size for biases and norm scales and shifts (3e-3).</param>
/// <param name="Budget">Front points calibrated at most (a search for the smallest that holds the target).</param>
/// <param name="TargetLoss">What a recommended (or calibrated and accepted) solution may lose against the uploaded model,
/// in the metric's units (0.01 = one point), at 95 % confidence: the upper end of the 95 % interval of its loss on the
/// whole validation split must be within it. The default, one point, held by the interval's upper end: on the default
/// split of up to 3,000 samples that interval is about ±0.5 point wide for a file that changes 2 to 4 % of the
/// predictions, so a qualifying file measures about half a point or less; a target of half a point would ask such a
/// file to measure no loss at all, and recommend the large files only. Where the split cannot resolve the target,
/// nothing qualifies rather than a point the noise let through. 0 asks for no loss at that confidence.</param>
/// <param name="Loss">What the calibration minimises: <see cref="CalibrationLoss.Distillation"/> (the uploaded model's
/// outputs, no labels used) or <see cref="CalibrationLoss.Labels"/> (cross-entropy with the calibration samples' labels).</param>
/// <param name="Schedule">How the step sizes move over the steps: <see cref="CalibrationSchedule.Constant"/> (the default),
/// or <see cref="CalibrationSchedule.WarmupCosine"/> (a warm-up over the first tenth, then a cosine decay). Tried as the
/// default with 100 steps at peak rates 2e-3 / 2e-2: as good as 300 constant steps on the fixture CNN, but on the
/// ResNet-18 one calibration diverged (validation 32 %) and two lost to their uncalibrated points, so it is an option.</param>
/// <param name="Patience">Steps per check of the early stop: after every block of this many steps, the calibration stops
/// when the block's mean loss is not <paramref name="MinImprovement"/> below the best block's before (a point the
/// calibration cannot help, or one it has finished with); 0, the default, runs every step.</param>
/// <param name="MinImprovement">The relative fall of the mean calibration loss each check must show to go on (0.01 = 1 %).</param>
public sealed record CalibrationSettings(
    int? Samples = null,
    int Steps = 100,
    int BatchSize = 64,
    double ValueLearningRate = 3e-4,
    double SmallLearningRate = 3e-3,
    int Budget = 3,
    double TargetLoss = 0.01,
    CalibrationLoss Loss = CalibrationLoss.Distillation,
    CalibrationSchedule Schedule = CalibrationSchedule.Constant,
    int Patience = 0,
    double MinImprovement = 0.01)
{
    /// <summary>
    /// The calibration samples a run takes: the given number, or for a codec that calibrates 2000 but at most half of
    /// the <paramref name="remaining"/> samples validation leaves, and none for a codec that does not.
    /// </summary>
    public int SamplesFor(bool calibrates, int remaining) => Samples ?? (calibrates ? Math.Min(2000, remaining / 2) : 0);

    /// <summary>
    /// These settings as a run stored before the schedule and the early stop existed meant them: every step at the
    /// constant rates, no early stop, and a target of 0 read as one point (the recommendation's tolerance then).
    /// </summary>
    public CalibrationSettings AsStoredBeforeSchedule() => this with
    {
        Schedule = CalibrationSchedule.Constant,
        Patience = 0,
        TargetLoss = TargetLoss > 0 ? TargetLoss : 0.01,
    };

    /// <summary>The optimiser's settings.</summary>
    public CalibrationOptions ToOptions(int seed) => new(Steps, BatchSize, ValueLearningRate, SmallLearningRate, seed, Loss, Schedule, Patience, MinImprovement);

    /// <summary>Every calibration setting that cannot work, under its path in the API's JSON; <see cref="Validate"/> refuses the first.</summary>
    public IReadOnlyList<SettingProblem> Problems()
    {
        var problems = new List<SettingProblem>();
        if (Samples is < 0)
        {
            problems.Add(new("calibration.samples", "must not be negative", $"calibration.samples must not be negative (got {Samples}).", Min: 0));
        }
        // The API words some pairs in one refusal; a form marks each field that breaks it.
        var stepsAndBatch = $"calibration.steps must be 0..100000 and calibration.batchSize 1..4096 (got {Steps} and {BatchSize}).";
        if (Steps is < 0 or > 100_000)
        {
            problems.Add(SettingProblem.Between("calibration.steps", 0, 100_000, Steps, stepsAndBatch));
        }
        if (BatchSize is < 1 or > 4096)
        {
            problems.Add(SettingProblem.Between("calibration.batchSize", 1, 4096, BatchSize, stepsAndBatch));
        }
        const string rates = "calibration learning rates must be between 0 and 1.";
        if (!(ValueLearningRate is >= 0 and <= 1))
        {
            problems.Add(SettingProblem.Between("calibration.valueLearningRate", 0, 1, ValueLearningRate, rates));
        }
        if (!(SmallLearningRate is >= 0 and <= 1))
        {
            problems.Add(SettingProblem.Between("calibration.smallLearningRate", 0, 1, SmallLearningRate, rates));
        }
        if (!Enum.IsDefined(Schedule))
        {
            problems.Add(new("calibration.schedule", "must be warmupCosine or constant", $"calibration.schedule must be warmupCosine or constant (got {(int)Schedule})."));
        }
        var stop = $"calibration.patience must be 0..100000 and calibration.minImprovement 0..1 (got {Patience} and {MinImprovement}).";
        if (Patience is < 0 or > 100_000)
        {
            problems.Add(SettingProblem.Between("calibration.patience", 0, 100_000, Patience, stop));
        }
        if (!(MinImprovement is >= 0 and <= 1))
        {
            problems.Add(SettingProblem.Between("calibration.minImprovement", 0, 1, MinImprovement, stop));
        }
        if (!Enum.IsDefined(Loss))
        {
            problems.Add(new("calibration.loss", "must be distillation or labels", $"calibration.loss must be distillation or labels (got {(int)Loss})."));
        }
        var budgetAndTarget = $"calibration.budget must be 0..100 and calibration.targetLoss 0..1 (got {Budget} and {TargetLoss}).";
        if (Budget is < 0 or > 100)
        {
            problems.Add(SettingProblem.Between("calibration.budget", 0, 100, Budget, budgetAndTarget));
        }
        if (!(TargetLoss is >= 0 and <= 1))
        {
            problems.Add(SettingProblem.Between("calibration.targetLoss", 0, 1, TargetLoss, budgetAndTarget));
        }
        return problems;
    }

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (Problems() is [var first, ..])
        {
            throw new InvalidInputException(first.Message);
        }
    }
}
