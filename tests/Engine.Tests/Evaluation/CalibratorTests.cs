using WeightShare.Engine.Codecs;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Evaluation;
using Xunit.Abstractions;

namespace WeightShare.Engine.Tests.Evaluation;

/// <summary>Calibration of the fixture CNN's scalar codebook through TorchScript: its early stop and its determinism.</summary>
public sealed class CalibratorTests(ITestOutputHelper output)
{
    // The early stop with the schedule and peak rates it was tuned with (the options a user sets to use it).
    private static CalibrationSettings EarlyStopping(int steps, int patience) => new(
        Samples: 500, Steps: steps, BatchSize: 32, ValueLearningRate: 2e-3, SmallLearningRate: 2e-2, Schedule: CalibrationSchedule.WarmupCosine, Patience: patience);

    private static CompressionSession Open(CalibrationSettings calibration) => CompressionSession.Open(
        Fixtures.Path("fmnist_cnn.pt"),
        FixtureData.FashionMnistEvaluation(),
        new RunSettings { Codec = ScalarCodec.CodecId, ValidationSamples = 300, Calibration = calibration });

    // The plan's codebook and every weight's index into it, as the scalar codec hands them to calibration.
    private static (int[][] Terms, float[] Values) Codebook(CompressionSession session, SolutionPlan plan)
    {
        var quantization = (ScalarQuantization)session.Quantize(plan);
        return ([quantization.Indices.Select(i => (int)i).ToArray()], quantization.Values);
    }

    [Fact]
    public void Calibrate_LossStopsFalling_StopsBeforeItsBudgetNearTheFullBudgetsLoss()
    {
        // Arrange: a coarse lattice (k = 8 loses about 17 points uncalibrated) with a budget of 200 steps, run in full and
        // with the early stop.
        var calibration = EarlyStopping(steps: 200, patience: 20);
        using var full = Open(calibration with { Patience = 0 });
        using var early = Open(calibration);
        var plan = new SolutionPlan([8, 0, 0, 0, 0, 0]);
        var (terms, values) = Codebook(full, plan);

        // Act
        var whole = full.Calibrate(terms, values, null, null, CancellationToken.None);
        var stopped = early.Calibrate(terms, values, null, null, CancellationToken.None);

        // Assert: the early stop saved steps, learnt as much as the full budget within a small factor, and both learnt.
        output.WriteLine($"full: {whole.Outcome}; early stop: {stopped.Outcome}");
        Assert.Equal((200, false), (whole.Steps, whole.StoppedEarly));
        Assert.True(stopped.StoppedEarly);
        Assert.InRange(stopped.Steps, 40, 180);
        Assert.True(stopped.RecentLoss <= 2 * whole.RecentLoss, $"{stopped.RecentLoss} against {whole.RecentLoss} in full");
        Assert.True(whole.RecentLoss < whole.FirstLoss / 4, $"{whole.FirstLoss} to {whole.RecentLoss}");
    }

    [Fact]
    public void Calibrate_PointCalibrationCannotHelpTwice_StopsEarlyAtTheSameStepWithTheSameValues()
    {
        // Arrange: a wide zero bin on a coarse lattice leaves a model at chance level, whose loss calibration does not move.
        using var session = Open(EarlyStopping(steps: 100, patience: 10));
        var (terms, values) = Codebook(session, new SolutionPlan([6, 2, 0, 0, 0, 0]));

        // Act
        var first = session.Calibrate(terms, values, null, null, CancellationToken.None);
        var second = session.Calibrate(terms, values, null, null, CancellationToken.None);

        // Assert: stopped after a few blocks, and again exactly so (the small parameters start from the upload's each time).
        output.WriteLine($"{first.Outcome}; {second.Outcome}");
        Assert.True(first.StoppedEarly);
        Assert.InRange(first.Steps, 20, 50);
        Assert.Equal(first.Steps, second.Steps);
        Assert.Equal(first.Values, second.Values);
        Assert.Equal(first.SmallParameters.Keys, second.SmallParameters.Keys);
        foreach (var (name, tuned) in first.SmallParameters)
        {
            Assert.Equal(tuned, second.SmallParameters[name]);
        }
        Assert.Equal(first.RecentLoss, second.RecentLoss);
    }
}
