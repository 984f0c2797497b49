using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Compression;

/// <summary>
/// Calibration of the shared values and unshared small parameters by output distillation, for codecs that calibrate.
/// </summary>
/// <param name="Samples">Samples carved from the upload apart from validation and test (no labels needed); null takes
/// the codec's default (2000 for codecs that calibrate, at most half of what validation leaves; 0 otherwise).</param>
/// <param name="Steps">Adam steps per calibrated solution.</param>
/// <param name="BatchSize">Calibration samples per step.</param>
/// <param name="ValueLearningRate">Adam's step size for the shared values.</param>
/// <param name="SmallLearningRate">Adam's step size for biases and norm scales and shifts.</param>
/// <param name="Budget">Front points calibrated at most (a search for the smallest that holds the target).</param>
/// <param name="TargetLoss">The validation metric a calibrated solution may lose against the uploaded model (0.005 = half a
/// point). The default, 0, asks validation for no loss at all: with 1,000 validation samples a difference of half a
/// point is within the measurement's noise, and a pick at -0.5 on validation landed 0.56 to 0.71 points below on the
/// ResNet-18's test split (docs/results.md).</param>
/// <param name="Loss">What the calibration minimises: <see cref="CalibrationLoss.Distillation"/> (the uploaded model's
/// outputs, no labels used) or <see cref="CalibrationLoss.Labels"/> (cross-entropy with the calibration samples' labels).</param>
public sealed record CalibrationSettings(
    int? Samples = null,
    int Steps = 300,
    int BatchSize = 64,
    double ValueLearningRate = 1e-4,
    double SmallLearningRate = 1e-3,
    int Budget = 3,
    double TargetLoss = 0,
    CalibrationLoss Loss = CalibrationLoss.Distillation)
{
    /// <summary>
    /// The calibration samples a run takes: the given number, or for a codec that calibrates 2000 but at most half of
    /// the <paramref name="remaining"/> samples validation leaves, and none for a codec that does not.
    /// </summary>
    public int SamplesFor(bool calibrates, int remaining) => Samples ?? (calibrates ? Math.Min(2000, remaining / 2) : 0);

    /// <summary>The optimiser's settings.</summary>
    public CalibrationOptions ToOptions(int seed) => new(Steps, BatchSize, ValueLearningRate, SmallLearningRate, seed, Loss);

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
