using WeightShare.Engine.Pipeline;

namespace WeightShare.Engine.Tests.Pipeline;

/// <summary>The time a run still needs: the early stop priced from the run's own hypervolume history, and calibration steps.</summary>
public sealed class RunEstimateTests
{
    // Recorded: the scalar codec on the fixture CNN (300 validation and 1700 test samples, population 8, 60
    // generations, patience 3, seed 1, k 4..64). Per generation, the flat generations behind it (0: the hypervolume
    // grew) and the evaluations computed so far; the search stopped after generation 11 with a front of 8.
    private static readonly int[] RecordedStale = [0, 0, 0, 0, 0, 1, 2, 0, 1, 2, 3];
    private static readonly int[] RecordedComputed = [8, 16, 24, 32, 40, 48, 54, 59, 67, 74, 81];
    private const int RecordedStop = 11;
    private const int Generations = 60;
    private const int Population = 8;
    private const double EvaluationSeconds = 0.5;

    private static RunEstimate Recorded(int patience, int? refineCap = null, double refineEvaluations = 0) =>
        new(300, 1700, Population, Generations, spaceSize: 1_000_000, refineEvaluations, refineCap, patience);

    /// <summary>The recorded search up to <paramref name="generation"/>, every evaluation at the same price and nothing else timed.</summary>
    private static RunEstimate ReplayedTo(int generation, int patience)
    {
        var estimate = Recorded(patience);
        estimate.Baseline(TimeSpan.FromSeconds(EvaluationSeconds * 2000 / 300));
        for (var g = 1; g <= generation; g++)
        {
            var evaluations = RecordedComputed[g - 1] - (g == 1 ? 0 : RecordedComputed[g - 2]);
            for (var e = 0; e < evaluations; e++)
            {
                estimate.Evaluated(TimeSpan.FromSeconds(EvaluationSeconds));
            }
            estimate.Search(g, RecordedComputed[g - 1], frontSize: 8, RecordedStale[g - 1]);
            estimate.Generated(TimeSpan.FromSeconds(evaluations * EvaluationSeconds));
        }
        return estimate;
    }

    [Fact]
    public void ExpectedLastGeneration_RecordedEarlyStop_StaysNearTheGenerationItStoppedAtFromGenerationTwo()
    {
        for (var generation = 2; generation <= RecordedStop; generation++)
        {
            var expected = ReplayedTo(generation, patience: 3).ExpectedLastGeneration();

            Assert.InRange(expected, Math.Max(generation, RecordedStop / 1.5), RecordedStop * 1.5);
        }
        Assert.Equal(RecordedStop, ReplayedTo(RecordedStop, patience: 3).ExpectedLastGeneration());
    }

    [Fact]
    public void ExpectedLastGeneration_FirstGenerationOrNoPatienceOrNoHypervolume_IsTheBudget()
    {
        var noHypervolume = Recorded(patience: 3);
        noHypervolume.Search(5, 40, 8, stale: null);

        Assert.Equal(Generations, ReplayedTo(1, patience: 3).ExpectedLastGeneration());
        Assert.Equal(Generations, ReplayedTo(6, patience: 0).ExpectedLastGeneration());
        Assert.Equal(Generations, noHypervolume.ExpectedLastGeneration());
    }

    [Fact]
    public void Remaining_RecordedEarlyStopAtGenerationThree_WithinAFactorOfTwoOfWhatTheRunThenCost()
    {
        // Arrange: what the rest of the recorded run cost at the same prices: the evaluations it still computed and
        // finishing its front of 8 (each on both splits).
        var estimate = ReplayedTo(3, patience: 3);
        var finishing = 8 * EvaluationSeconds * 2000 / 300;
        var actual = ((RecordedComputed[^1] - RecordedComputed[2]) * EvaluationSeconds) + finishing;

        // Act
        var remaining = estimate.Remaining()!.Value.TotalSeconds;
        var budget = ReplayedTo(3, patience: 0).Remaining()!.Value.TotalSeconds;

        // Assert: near what it took, where the budget's price is several times that.
        Assert.InRange(remaining / actual, 0.5, 2);
        Assert.True(budget > 3 * actual, $"The budget's {budget:F0} s against {actual:F0} s");
    }

    [Fact]
    public void Remaining_CalibrationStepsAdvance_FallsByTheMeasuredStepCost()
    {
        // Arrange: the search is over; one point is being calibrated in 40 steps of a second each.
        var estimate = Recorded(patience: 3, refineCap: 1, refineEvaluations: 400);
        estimate.Baseline(TimeSpan.FromSeconds(EvaluationSeconds * 2000 / 300));
        estimate.SearchEnded();
        estimate.RefineStarts(points: 1, done: 0);
        var before = estimate.Remaining()!.Value.TotalSeconds;

        // Act
        estimate.Calibrating(10, 40, TimeSpan.FromSeconds(10));
        var atTen = estimate.Remaining()!.Value.TotalSeconds;
        estimate.Calibrating(30, 40, TimeSpan.FromSeconds(30));
        var atThirty = estimate.Remaining()!.Value.TotalSeconds;

        // Assert: priced by its steps (not the 400 evaluations assumed before), twenty steps later twenty seconds less.
        Assert.True(atTen < before, $"{atTen} < {before}");
        Assert.Equal(20, atTen - atThirty, 6);
    }

    [Fact]
    public void Remaining_FinishingAfterARacedSearch_IsPricedPerSampleOverBothSplits()
    {
        // Arrange: two searches whose evaluations took 0.5 s each; racing stopped the first one's after half the
        // validation split, so a measurement of every sample costs it twice as much.
        var raced = Recorded(patience: 0);
        var straight = Recorded(patience: 0);
        for (var e = 0; e < 10; e++)
        {
            raced.Evaluated(TimeSpan.FromSeconds(EvaluationSeconds), samples: 150);
            straight.Evaluated(TimeSpan.FromSeconds(EvaluationSeconds), samples: 300);
        }

        // Act: both have eight solutions to finish, each measured on 300 validation and 1700 test samples.
        raced.FinishStarts(8, 0);
        straight.FinishStarts(8, 0);

        // Assert
        Assert.Equal(8 * EvaluationSeconds * 2000 / 300, straight.Remaining()!.Value.TotalSeconds, 3);
        Assert.Equal(8 * 2 * EvaluationSeconds * 2000 / 300, raced.Remaining()!.Value.TotalSeconds, 3);
        Assert.Equal(EvaluationSeconds, raced.EvaluationSeconds);
    }
}
