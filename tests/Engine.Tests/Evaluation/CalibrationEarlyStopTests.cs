using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Tests.Evaluation;

/// <summary>The early stop's rule on made-up losses: blocks of steps, each judged by its mean against the best before.</summary>
public sealed class CalibrationEarlyStopTests
{
    [Fact]
    public void ShouldStop_LossFallsThenFlattens_StopsAtTheEndOfTheFirstBlockThatDoesNotFall()
    {
        var stop = new CalibrationEarlyStop(patience: 4, minImprovement: 0.01);
        // Block means 0.85, 0.45, 0.30 (each far below the best before), then 0.2995: 0.17 % below 0.30, not 1 %.
        double[] losses = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.299, 0.3, 0.299, 0.1, 0.1];

        var stoppedAfter = Array.FindIndex(losses, stop.ShouldStop) + 1;

        Assert.Equal(16, stoppedAfter);
        Assert.Equal(0.2995, stop.LastBlockMean, 12);
    }

    [Fact]
    public void ShouldStop_NoisyBatchesWhoseBlocksStillFall_GoesOn()
    {
        // Single batches rise and fall by a fifth; the block means (1.0, 0.98, 0.96, 0.94) each fall 2 %.
        var stop = new CalibrationEarlyStop(patience: 2, minImprovement: 0.01);
        double[] losses = [1.2, 0.8, 0.78, 1.18, 1.15, 0.77, 0.75, 1.13];

        Assert.DoesNotContain(losses, stop.ShouldStop);
        Assert.Equal(0.94, stop.LastBlockMean, 12);
    }

    [Fact]
    public void ShouldStop_BlockLessThanTheRelativeFallBelowTheBestBefore_Stops()
    {
        // 0.995 is 0.5 % below the best block (1.0): the calibration has stopped paying.
        var stop = new CalibrationEarlyStop(patience: 1, minImprovement: 0.01);

        Assert.False(stop.ShouldStop(1.0));
        Assert.True(stop.ShouldStop(0.995));
    }

    [Fact]
    public void ShouldStop_NoPatience_NeverStops()
    {
        var stop = new CalibrationEarlyStop(patience: 0, minImprovement: 0.01);

        Assert.DoesNotContain(Enumerable.Repeat(2.0, 1_000), stop.ShouldStop);
    }

    [Fact]
    public void ShouldStop_LossNotFinite_StopsAtTheBlocksEnd()
    {
        var stop = new CalibrationEarlyStop(patience: 2, minImprovement: 0.01);

        Assert.False(stop.ShouldStop(double.NaN));
        Assert.True(stop.ShouldStop(1.0));
    }
}
