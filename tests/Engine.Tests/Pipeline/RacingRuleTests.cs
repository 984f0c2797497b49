using WeightShare.Engine.Metrics;
using WeightShare.Engine.Pipeline;

namespace WeightShare.Engine.Tests.Pipeline;

/// <summary>When a racing evaluation stops, on synthetic paired counts.</summary>
public sealed class RacingRuleTests
{
    [Theory]
    [InlineData(256, 256)]
    [InlineData(64, 256)]
    [InlineData(100, 200)]
    [InlineData(512, 512)]
    public void Chunk_WholeBatchesNear250(int batch, int chunk) =>
        Assert.Equal(chunk, RacingRule.Chunk(batch));

    [Theory]
    [InlineData(3000, null, 1500)]
    [InlineData(1500, null, 1000)]
    [InlineData(1000, null, 1000)]
    [InlineData(800, null, 800)]
    [InlineData(3000, 2000, 2000)]
    [InlineData(3000, 5000, 3000)]
    public void CandidateSamples_HalfTheSplitAtLeast1000OrTheSettingNeverMoreThanTheSplit(int validation, int? setting, int samples) =>
        Assert.Equal(samples, RacingRule.CandidateSamples(validation, setting));

    [Fact]
    public void Dominated_FarWorseAfterOneChunk_StopsOnlyAgainstAKnownPointOfNoMoreBytes()
    {
        // A known point measured on all 1,000 samples: half a point lost, interval about [-0.2, 1.2] points.
        var known = new SampledEvaluation([16], Size: 50_000, Samples: 1000, new PairedCounts(880, 15, 10, 95).Interval());
        // A candidate after 256 samples that lost 30 of them and gained none: 11.7 points.
        var bad = new PairedCounts(200, 30, 0, 26).Interval(RacingRule.Z);

        Assert.True(RacingRule.Dominated(bad, 50_000, [known]));
        Assert.True(RacingRule.Dominated(bad, 80_000, [known]));
        // A smaller file is never stopped by a larger one, however much worse.
        Assert.False(RacingRule.Dominated(bad, 49_999, [known]));
    }

    [Fact]
    public void Dominated_CloseToTheKnownPoint_GoesOn()
    {
        var known = new SampledEvaluation([16], Size: 50_000, Samples: 1000, new PairedCounts(880, 15, 10, 95).Interval());
        // Four losses and one gain in 256 samples: 1.2 points, within the noise of the known point's 0.5.
        var close = new PairedCounts(222, 4, 1, 29).Interval(RacingRule.Z);

        Assert.False(RacingRule.Dominated(close, 60_000, [known]));
        Assert.False(RacingRule.Dominated(close, 60_000, []));
    }

    [Theory]
    // As good as the known point (2 points lost: 4 % losses, 2 % gains per sample): the known point, no larger,
    // weakly dominates it, and it is stopped about half the time.
    [InlineData(0.04, 0.25, 0.75)]
    // A point better (1 point lost: 3 % losses, 2 % gains): it belongs on the front, and is stopped under a tenth of the time.
    [InlineData(0.03, 0.0, 0.10)]
    public void Dominated_CandidateAgainstAKnownPointOf2PointsOn3000Samples_StoppedAsOftenAsItsLossSays(double losses, double least, double most)
    {
        // Arrange: the known point measured on 3,000 samples, the candidate looked at after each chunk of 256 of its 3,000.
        const int samples = 3000, chunk = 256;
        var random = new Random(20261207);
        const int draws = 2000;
        var stopped = 0;

        // Act
        for (var draw = 0; draw < draws; draw++)
        {
            var known = new SampledEvaluation([1], 100, samples, Draw(random, samples, 0.04).Interval());
            var candidate = new long[4];
            for (var seen = 0; seen < samples - chunk; seen += chunk)
            {
                var more = Draw(random, chunk, losses);
                (candidate[0], candidate[1], candidate[2], candidate[3]) = (candidate[0] + more.BothRight, candidate[1] + more.OnlyOriginalRight, candidate[2] + more.OnlyCompressedRight, candidate[3] + more.BothWrong);
                if (RacingRule.Dominated(new PairedCounts(candidate[0], candidate[1], candidate[2], candidate[3]).Interval(RacingRule.Z), 100, [known]))
                {
                    stopped++;
                    break;
                }
            }
        }

        // Assert
        Assert.InRange(stopped / (double)draws, least, most);
    }

    [Fact]
    public void Interval_AgreementCounts_IsWilsonsOnTheShareAgreedAtAnyConfidence()
    {
        var counts = new PairedCounts(940, 60, 0, 0) { AgainstOriginal = true };

        var at95 = counts.Interval();
        var (lower, upper) = PairedCounts.Wilson(940, 1000);
        var wider = counts.Interval(2.84);

        Assert.Equal(new LossInterval(1 - 0.94, 1 - upper, 1 - lower), at95);
        Assert.True(wider.Lower < at95.Lower && wider.Upper > at95.Upper);
        Assert.Equal(at95, counts.Interval(PairedCounts.Z95));
    }

    // Samples of which a share `losses` only the original gets right, 2 % only the compressed one, 10 % neither.
    private static PairedCounts Draw(Random random, int samples, double losses)
    {
        long a = 0, b = 0, c = 0, d = 0;
        for (var i = 0; i < samples; i++)
        {
            var u = random.NextDouble();
            _ = u < losses ? b++ : u < losses + 0.02 ? c++ : u < losses + 0.12 ? d++ : a++;
        }
        return new PairedCounts(a, b, c, d);
    }
}
