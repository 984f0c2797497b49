using WeightShare.Engine.Codecs;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Metrics;
using WeightShare.Engine.Pipeline;
using WeightShare.Engine.Search;

namespace WeightShare.Engine.Tests.Pipeline;

/// <summary>The bisection's acceptance of a calibrated point, on a made-up front and a made-up calibration.</summary>
public sealed class CalibrationBisectionTests
{
    private const double Baseline = 0.90;

    // Seven points at the baseline's accuracy uncalibrated or below it, sizes 100 to 700: point i is genes [i].
    private static readonly Individual[] Front = Enumerable.Range(0, 7)
        .Select(i => new Individual([i], [1 - Baseline + (0.01 * (6 - i)), 100 * (i + 1)]))
        .ToArray();

    private static RunSettings Settings(double targetLoss) => new() { Calibration = new CalibrationSettings(Budget: 3, TargetLoss: targetLoss) };

    // Calibrates the points the bisection asks for, in order; each comes back as `measure` says.
    private static async Task<List<int>> CalibratedAsync(RunSettings settings, Func<int, (double Metric, LossInterval? Loss)> measure)
    {
        var calibrated = new List<int>();
        await new CalibrationBisection().ChooseAsync(Front, Baseline, settings, (point, refine) =>
        {
            var i = point.X[0];
            if (refine)
            {
                calibrated.Add(i);
            }
            var (metric, loss) = refine ? measure(i) : (1 - point.F[0], null);
            return Task.FromResult(new PlannedSolution(new SolutionPlan(point.X), new Dictionary<string, int> { ["k"] = i }, i, metric, $"point {i}") { ValidationLoss = loss });
        });
        return calibrated;
    }

    [Fact]
    public async Task ChooseAsync_PointEstimateMeetsTheTargetButTheIntervalsUpperEndDoesNot_RejectsItAndBisectsTowardsLargerPoints()
    {
        // Arrange: every calibrated point measures the baseline's accuracy (a loss of 0, the point estimate meets any
        // target), but below point 5 its interval reaches 2 points: the validation split cannot tell it holds.
        static (double, LossInterval?) Measure(int i) => (Baseline, new LossInterval(0, -0.02, i >= 5 ? 0.004 : 0.02));

        // Act
        var calibrated = await CalibratedAsync(Settings(targetLoss: 0.005), Measure);

        // Assert: point 3 rejected (upper 2 points), so 5 (holds), then 4 (rejected): the smallest that holds is 5.
        Assert.Equal([3, 5, 4], calibrated);
    }

    [Fact]
    public async Task ChooseAsync_IntervalsWithinTheTarget_BisectsTowardsSmallerPoints()
    {
        static (double, LossInterval?) Measure(int i) => (Baseline, new LossInterval(0, -0.004, 0.004));

        var calibrated = await CalibratedAsync(Settings(targetLoss: 0.005), Measure);

        Assert.Equal([3, 1, 0], calibrated);
    }

    [Fact]
    public async Task ChooseAsync_MetricWithoutAnInterval_FallsBackToThePointEstimateWithinTheTarget()
    {
        // Arrange: no interval (a metric that pairs no outcomes); points from 2 up lose 0.4 point, below it 0.6.
        static (double, LossInterval?) Measure(int i) => (Baseline - (i >= 2 ? 0.004 : 0.006), null);

        // Act
        var calibrated = await CalibratedAsync(Settings(targetLoss: 0.005), Measure);

        // Assert: 3 holds, 1 does not, 2 holds.
        Assert.Equal([3, 1, 2], calibrated);
    }

    [Fact]
    public void Holds_UpperEndOnTheTarget_HoldsAndJustAboveItDoesNot()
    {
        var plan = new PlannedSolution(new SolutionPlan([1]), new Dictionary<string, int>(), 1, Baseline, "p");

        Assert.True(CalibrationBisection.Holds(plan with { ValidationLoss = new LossInterval(-0.01, -0.025, 0.005) }, Baseline, 0.005));
        Assert.False(CalibrationBisection.Holds(plan with { ValidationLoss = new LossInterval(-0.01, -0.025, 0.0051) }, Baseline, 0.005));
    }
}
