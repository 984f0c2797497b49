using WeightShare.Engine.Metrics;
using WeightShare.Engine.Pipeline;

namespace WeightShare.Engine.Tests.Pipeline;

/// <summary>When a racing evaluation stops, on synthetic paired counts.</summary>
public sealed class RacingRuleTests
{
    [Theory]
    [InlineData(1, 1.9600)]
    [InlineData(3, 2.3940)]
    [InlineData(11, 2.8376)]
    public void Z_Looks_IsBonferronisOverTheLooks(int looks, double z) =>
        Assert.Equal(z, RacingRule.Z(looks), 4);

    [Theory]
    [InlineData(256, 256, 1000, 3)]
    [InlineData(64, 256, 3000, 11)]
    [InlineData(100, 200, 3000, 14)]
    [InlineData(512, 512, 400, 0)]
    public void ChunkAndLooks_WholeBatchesNear250_OneLookAfterEveryChunkButTheLast(int batch, int chunk, int samples, int looks)
    {
        Assert.Equal(chunk, RacingRule.Chunk(batch));
        Assert.Equal(looks, RacingRule.Looks(samples, chunk));
    }

    [Fact]
    public void Dominated_FarWorseAfterOneChunk_StopsOnlyAgainstAKnownPointOfNoMoreBytes()
    {
        // A known point measured on all 1,000 samples: half a point lost, interval about [-0.2, 1.2] points.
        var known = new SampledEvaluation([16], Size: 50_000, Samples: 1000, new PairedCounts(880, 15, 10, 95).Interval());
        // A candidate after 256 samples that lost 30 of them and gained none: 11.7 points.
        var bad = new PairedCounts(200, 30, 0, 26).Interval(RacingRule.Z(3));

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
        var close = new PairedCounts(222, 4, 1, 29).Interval(RacingRule.Z(3));

        Assert.False(RacingRule.Dominated(close, 60_000, [known]));
        Assert.False(RacingRule.Dominated(close, 60_000, []));
    }

    [Fact]
    public void Dominated_CandidateAsGoodAsTheKnownPoint_IsStoppedAtMost5PercentOfTheTime()
    {
        // Arrange: known point and candidate with the same true loss (2 points: 4 % losses, 2 % gains per sample),
        // the known one measured on 1,000 samples, the candidate looked at after each chunk of 256 of its 1,000.
        const int samples = 1000, chunk = 256;
        var z = RacingRule.Z(RacingRule.Looks(samples, chunk));
        var random = new Random(20261207);
        const int draws = 2000;
        var stopped = 0;

        // Act
        for (var draw = 0; draw < draws; draw++)
        {
            var known = new SampledEvaluation([1], 100, samples, Draw(random, samples).Interval());
            var candidate = new long[4];
            for (var seen = 0; seen < samples - chunk; seen += chunk)
            {
                var more = Draw(random, chunk);
                (candidate[0], candidate[1], candidate[2], candidate[3]) = (candidate[0] + more.BothRight, candidate[1] + more.OnlyOriginalRight, candidate[2] + more.OnlyCompressedRight, candidate[3] + more.BothWrong);
                if (RacingRule.Dominated(new PairedCounts(candidate[0], candidate[1], candidate[2], candidate[3]).Interval(z), 100, [known]))
                {
                    stopped++;
                    break;
                }
            }
        }

        // Assert: the rule's error bound (2.5 % for each side) holds, with room for the draws' own noise.
        Assert.InRange(stopped / (double)draws, 0, 0.05);
    }

    [Fact]
    public void Interval_AgreementCounts_IsWilsonsOnTheShareAgreedAtAnyConfidence()
    {
        var counts = new PairedCounts(940, 60, 0, 0) { AgainstOriginal = true };

        var at95 = counts.Interval();
        var (lower, upper) = PairedCounts.Wilson(940, 1000);
        var wider = counts.Interval(RacingRule.Z(11));

        Assert.Equal(new LossInterval(1 - 0.94, 1 - upper, 1 - lower), at95);
        Assert.True(wider.Lower < at95.Lower && wider.Upper > at95.Upper);
        Assert.Equal(at95, counts.Interval(PairedCounts.Z95));
    }

    private static PairedCounts Draw(Random random, int samples)
    {
        long a = 0, b = 0, c = 0, d = 0;
        for (var i = 0; i < samples; i++)
        {
            var u = random.NextDouble();
            _ = u < 0.84 ? a++ : u < 0.88 ? b++ : u < 0.90 ? c++ : d++;
        }
        return new PairedCounts(a, b, c, d);
    }
}
