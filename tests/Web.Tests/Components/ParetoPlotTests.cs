using WeightShare.Jobs.Events;
using WeightShare.Web.Components.Charts;
using static WeightShare.Web.Tests.Components.Samples;

namespace WeightShare.Web.Tests.Components;

/// <summary>What the Pareto chart draws, worked out without rendering.</summary>
public sealed class ParetoPlotTests
{
    [Fact]
    public void Of_NoGenerations_IsEmptyAtGenerationZero()
    {
        var plot = ParetoPlot.Of([], [], [], null);

        Assert.Empty(plot.Evaluated);
        Assert.Empty(plot.Front);
        Assert.Empty(plot.Solutions);
        Assert.Equal(0, plot.Generation);
    }

    [Fact]
    public void Of_KEvaluatedInSeveralGenerations_ListsEachKOnceInOrderOfSharedValues()
    {
        var generations = new[]
        {
            Generation(1, [Point(16, 14, 0.80), Point(4, 4, 0.30), Point(16, 14, 0.80)], [Point(16, 14, 0.80), Point(4, 4, 0.30)]),
            Generation(2, [Point(8, 7, 0.70), Point(16, 14, 0.80)], [Point(8, 7, 0.70)]),
        };

        var plot = ParetoPlot.Of(generations, [], [], 0.9);

        Assert.Equal([4, 8, 16], plot.Evaluated.Select(K));
        Assert.Equal([4, 7, 14], plot.Evaluated.Select(p => p.SharedValues));
        Assert.Equal(0.9, plot.Baseline);
    }

    [Fact]
    public void Of_SeveralGenerations_FrontIsTheLastGenerationsSortedBySharedValuesWithoutRepeats()
    {
        var generations = new[]
        {
            Generation(1, [Point(64, 60, 0.90)], [Point(64, 60, 0.90)]),
            Generation(2, [Point(32, 30, 0.88), Point(3, 3, 0.2)], [Point(32, 30, 0.88), Point(3, 3, 0.2), Point(32, 30, 0.88), Point(12, 11, 0.7)]),
        };

        var plot = ParetoPlot.Of(generations, [], [], null);

        Assert.Equal([3, 12, 32], plot.Front.Select(K));
        Assert.Equal(2, plot.Generation);
    }

    [Fact]
    public void Of_SolutionsAndMergeSteps_DrawsTheStoredSolutions()
    {
        var generation = Generation(1, [Point(16, 14, 0.8), Point(8, 8, 0.7)], [Point(16, 14, 0.8), Point(8, 8, 0.7)]);
        var steps = new[] { Step(16, 12, 0.8) };

        var plot = ParetoPlot.Of([generation], [Solution("b", 16, 9, ready: true, merged: true), Solution("a", 8, 8, ready: true)], steps, null);

        Assert.Equal([(8, 8), (16, 9)], plot.Solutions.Select(p => (K(p), p.SharedValues)));
    }

    [Fact]
    public void Of_OnlyMergeSteps_DrawsEachKsLatestStep()
    {
        var generation = Generation(1, [Point(16, 14, 0.8), Point(8, 8, 0.7)], [Point(16, 14, 0.8), Point(8, 8, 0.7)]);
        var steps = new[]
        {
            Step(16, 13, 0.80),
            Step(8, 6, 0.71),
            Step(16, 11, 0.79),
        };

        var plot = ParetoPlot.Of([generation], [], steps, null);

        Assert.Equal([(8, 6, 0.71), (16, 11, 0.79)], plot.Solutions.Select(p => (K(p), p.SharedValues, p.ValidationAccuracy)));
    }

    [Fact]
    public void Of_BytesRunWithCalibrationSteps_EveryDrawnPointHasAFiniteX()
    {
        // A bytes-objective run mid-refinement: the steps carry no size, a point the search never sized has none either.
        var front = new[] { Point(16, 14, 0.8) with { Bytes = 9_000 }, Point(8, 8, 0.7) with { Bytes = 5_000 } };
        var generation = Generation(1, [.. front, Point(4, 4, 0.3)], front);
        var steps = new[] { Step(16, 14, 0.85), Step(99, 40, 0.9) };

        var plot = ParetoPlot.Of([generation], [], steps, 0.9);

        Assert.True(plot.UsesBytes);
        Assert.Equal(9_000, plot.X(plot.Solutions.Single(p => K(p) == 16)));
        Assert.Equal([16], plot.Placed(plot.Solutions).Select(K));
        Assert.Equal([8, 16], plot.Placed(plot.Evaluated).Select(K));
        Assert.All(plot.Placed(plot.Evaluated.Concat(plot.Solutions).ToArray()), p => Assert.True(double.IsFinite(plot.X(p))));
    }

    [Fact]
    public void X_RatioRequestedOnABytesRun_IsUploadedBytesOverWszBytes()
    {
        var front = new[] { Point(16, 14, 0.8) with { Bytes = 40_000 }, Point(8, 8, 0.7) with { Bytes = 20_000 } };
        var plot = ParetoPlot.Of([Generation(1, front, front)], [], [], 0.9);

        var ratio = plot with { ModelBytes = 800_000, RatioRequested = true };

        Assert.Equal([40_000.0, 20_000.0], plot.Front.OrderByDescending(p => p.Bytes).Select(plot.X));
        Assert.Equal([20.0, 40.0], ratio.Front.OrderByDescending(p => p.Bytes).Select(ratio.X));
        Assert.NotEqual(plot.Signature, ratio.Signature);
        Assert.False((plot with { RatioRequested = true }).UsesRatio);
    }

    [Fact]
    public void Signature_NextGeneration_Changes()
    {
        var first = Generation(1, [Point(16, 14, 0.8)], [Point(16, 14, 0.8)]);
        var second = Generation(2, [Point(16, 14, 0.8)], [Point(16, 14, 0.8)]);

        var before = ParetoPlot.Of([first], [], [], 0.9).Signature;
        var after = ParetoPlot.Of([first, second], [], [], 0.9).Signature;

        Assert.NotEqual(before, after);
        Assert.Equal(before, ParetoPlot.Of([first], [], [], 0.9).Signature);
    }
}
