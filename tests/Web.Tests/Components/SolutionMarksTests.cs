using WeightShare.Web.Api;
using WeightShare.Web.Components.Charts;
using static WeightShare.Web.Tests.Components.Samples;

namespace WeightShare.Web.Tests.Components;

/// <summary>Which solutions a user is warned off: dominated in real units, or no better than guessing.</summary>
public sealed class SolutionMarksTests
{
    [Fact]
    public void MarkDominated_EveryFileWritten_ComparesBytesNotSharedValues()
    {
        // k = 4 has fewer shared values than k = 5 but a larger file at a lower accuracy (the example).
        var k4 = Solution("a", 4, 4, ready: true) with { CompressedBytes = 49_400, ValidationMetric = 0.244 };
        var k5 = Solution("b", 5, 5, ready: true) with { CompressedBytes = 41_800, ValidationMetric = 0.305 };
        var k9 = Solution("c", 9, 9, ready: true) with { CompressedBytes = 60_000, ValidationMetric = 0.80 };

        var marked = SolutionInfo.MarkDominated([k4, k5, k9]);

        Assert.Equal([true, false, false], marked.Select(s => s.Dominated));
    }

    [Fact]
    public void MarkDominated_FilesNotAllWritten_ComparesSharedValues()
    {
        var k4 = Solution("a", 4, 4, ready: false) with { ValidationMetric = 0.244 };
        var k5 = Solution("b", 5, 5, ready: true) with { CompressedBytes = 41_800, ValidationMetric = 0.305 };

        var marked = SolutionInfo.MarkDominated([k4, k5]);

        Assert.Equal([false, false], marked.Select(s => s.Dominated));
    }

    [Theory]
    [InlineData(0.10, 10, true)]
    [InlineData(0.15, 10, true)]
    [InlineData(0.16, 10, false)]
    [InlineData(0.55, 2, true)]
    [InlineData(0.56, 2, false)]
    [InlineData(0.015, 100, true)]
    [InlineData(0.02, 100, false)]
    [InlineData(0.01, 1, false)]
    public void IsChanceLevel_AccuracyAgainstClasses_HardlyAboveGuessing(double accuracy, int classes, bool expected) =>
        Assert.Equal(expected, SolutionInfo.IsChanceLevel(accuracy, classes));

    [Fact]
    public void MarkChanceLevel_FinishedSolutions_DecidedOnValidationNeverByTheTestSplit()
    {
        // Guessing on test alone is not a mark (the test split only reports); guessing on validation is, whatever test says.
        var guessingOnTestOnly = Solution("a", 2, 2, ready: true) with { TestAccuracy = 0.11, ValidationAccuracy = 0.30 };
        var guessingOnValidation = Solution("b", 3, 3, ready: true) with { TestAccuracy = 0.40, ValidationAccuracy = 0.12 };
        var unmeasured = Solution("c", 2, 2, ready: false) with { ValidationAccuracy = 0.12 };
        var useful = Solution("d", 9, 9, ready: true);

        var marked = SolutionInfo.MarkChanceLevel([guessingOnTestOnly, guessingOnValidation, unmeasured, useful], classes: 10);

        Assert.Equal([false, true, true, false], marked.Select(s => s.AtChanceLevel));
    }

    [Fact]
    public void ParetoPlot_MarkedSolutions_DrawnApartFromTheOthers()
    {
        var chance = Solution("a", 2, 2, ready: true) with { AtChanceLevel = true, Dominated = true };
        var dominated = Solution("b", 4, 4, ready: true) with { Dominated = true };
        var kept = Solution("c", 9, 9, ready: true);

        var plot = ParetoPlot.Of([], [chance, dominated, kept], [], 0.9);

        Assert.Equal(["c"], plot.Solutions.Select(p => ParetoPlot.Label(p) == "k = 9" ? "c" : "?"));
        Assert.Equal([4], plot.Dominated.Select(K));
        Assert.Equal([2], plot.AtChanceLevel.Select(K));
    }

    [Fact]
    public void ParetoPlot_OpeningRange_ReachesDownToTheLowestSolutionAboveChance()
    {
        var low = Solution("a", 5, 5, ready: true) with { ValidationMetric = 0.31 };
        var chance = Solution("b", 2, 2, ready: true) with { ValidationMetric = 0.10, AtChanceLevel = true };
        var kept = Solution("c", 9, 9, ready: true) with { ValidationMetric = 0.84 };

        var plot = ParetoPlot.Of([], [low, chance, kept], [], 0.917);

        Assert.Equal(29, plot.OpeningRange!.Value.Low, 1e-9);
        Assert.Equal(93.7, plot.OpeningRange!.Value.High, 1e-9);
    }

    [Theory]
    [InlineData(0.9, 80, 92)]
    [InlineData(0.05, 0, 7)]
    [InlineData(0.995, 89.5, 101.5)]
    public void ParetoPlot_OpeningRange_TenPointsBelowTheBaselineToTwoAbove(double baseline, double low, double high)
    {
        var plot = ParetoPlot.Of([], [], [], baseline);

        Assert.Equal(low, plot.OpeningRange!.Value.Low, 1e-9);
        Assert.Equal(high, plot.OpeningRange!.Value.High, 1e-9);
        Assert.Null(ParetoPlot.Of([], [], [], null).OpeningRange);
    }
}
