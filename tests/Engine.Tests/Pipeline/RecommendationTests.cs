using WeightShare.Engine.Metrics;
using WeightShare.Engine.Pipeline;

namespace WeightShare.Engine.Tests.Pipeline;

/// <summary>The recommended solution is chosen on validation intervals alone.</summary>
public sealed class RecommendationTests
{
    [Fact]
    public void Choose_SmallestFileWhoseUpperEndIsWithinTheTolerance()
    {
        var candidates = new (long?, LossInterval?)[]
        {
            (1000, new LossInterval(0.000, -0.004, 0.004)),
            (600, new LossInterval(0.004, -0.001, 0.009)),
            (400, new LossInterval(0.006, 0.001, 0.012)), // its point estimate is within one point; its interval is not
            (300, null),                                  // no interval: never recommended
            (null, new LossInterval(0, 0, 0)),            // not written yet
        };

        Assert.Equal(1, Recommendation.Choose(candidates, 0.01));
        Assert.Equal(2, Recommendation.Choose(candidates, 0.012));
        Assert.Null(Recommendation.Choose(candidates, -0.01));
    }

    [Fact]
    public void DominatesBeyondNoise_OverlappingIntervals_DoNotDominate()
    {
        var a = new LossInterval(0.002, -0.003, 0.007);
        var b = new LossInterval(0.008, 0.002, 0.014);
        var far = new LossInterval(0.030, 0.020, 0.040);

        Assert.False(Recommendation.DominatesBeyondNoise(500, a, 600, b));
        Assert.True(Recommendation.DominatesBeyondNoise(500, a, 600, far));
        Assert.False(Recommendation.DominatesBeyondNoise(700, a, 600, far));
    }

    [Fact]
    public void Tolerance_IsTheRunsTargetAndOnePointByDefault()
    {
        Assert.Equal(0, Recommendation.Tolerance(0));
        Assert.Equal(0.005, Recommendation.Tolerance(0.005));
        Assert.Equal(0.01, Recommendation.Tolerance(new WeightShare.Engine.Compression.CalibrationSettings().TargetLoss));
    }
}
