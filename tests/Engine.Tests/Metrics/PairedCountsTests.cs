using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Tests.Metrics;

/// <summary>The loss against the uploaded model and its 95 % interval, from paired outcomes.</summary>
public sealed class PairedCountsTests
{
    // Probabilities of (both right, only the original right, only the compressed right, both wrong) per sample.
    [Theory]
    [InlineData(1000, 0.86, 0.04, 0.02, 0.08)]
    [InlineData(300, 0.88, 0.02, 0.00, 0.10)]
    [InlineData(5000, 0.89, 0.006, 0.004, 0.10)]
    [InlineData(200, 0.80, 0.05, 0.05, 0.10)]
    public void Interval_SyntheticPairsOfKnownLoss_HoldsTheTrueLossInAbout95PercentOfDraws(int samples, double bothRight, double onlyOriginal, double onlyCompressed, double bothWrong)
    {
        // Arrange: draws of paired outcomes with a known loss (onlyOriginal - onlyCompressed).
        Assert.Equal(1.0, bothRight + onlyOriginal + onlyCompressed + bothWrong, 9);
        var truth = onlyOriginal - onlyCompressed;
        var random = new Random(20261207);
        const int draws = 2000;
        var held = 0;

        // Act
        for (var draw = 0; draw < draws; draw++)
        {
            long a = 0, b = 0, c = 0, d = 0;
            for (var i = 0; i < samples; i++)
            {
                var u = random.NextDouble();
                _ = u < bothRight ? a++ : u < bothRight + onlyOriginal ? b++ : u < bothRight + onlyOriginal + onlyCompressed ? c++ : d++;
            }
            var interval = new PairedCounts(a, b, c, d).Interval();
            held += interval.Lower <= truth && truth <= interval.Upper ? 1 : 0;
        }

        // Assert: close to the nominal 95 % (Newcombe's method is slightly conservative where counts are small).
        Assert.InRange(held / (double)draws, 0.93, 0.995);
    }

    [Fact]
    public void Interval_KnownTable_LossIsDiscordantDifferenceAndTheIntervalContainsIt()
    {
        var interval = new PairedCounts(BothRight: 850, OnlyOriginalRight: 30, OnlyCompressedRight: 10, BothWrong: 110).Interval();

        Assert.Equal(0.02, interval.Loss, 12);
        Assert.InRange(interval.Lower, 0.005, 0.02);
        Assert.InRange(interval.Upper, 0.02, 0.04);
    }

    [Fact]
    public void Interval_IdenticalModels_IsCentredOnZeroAndNarrowsWithMoreSamples()
    {
        var small = new PairedCounts(90, 0, 0, 10).Interval();
        var large = new PairedCounts(9000, 0, 0, 1000).Interval();

        Assert.Equal(0, small.Loss);
        Assert.True(small.Lower < 0 && small.Upper > 0);
        Assert.True(large.Upper - large.Lower < (small.Upper - small.Lower) / 5);
    }

    [Fact]
    public void Wilson_NoSuccesses_StartsAtZeroAndStaysWithinTheUnitInterval()
    {
        var (lower, upper) = PairedCounts.Wilson(0, 50);

        Assert.Equal(0, lower, 12);
        Assert.InRange(upper, 0.05, 0.1);
    }
}
