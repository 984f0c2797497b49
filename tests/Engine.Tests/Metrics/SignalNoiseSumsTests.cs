using TorchSharp;
using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Tests.Metrics;

/// <summary>The output signal-to-noise ratio and its 95 % interval (output fidelity), from per-sample signal and noise.</summary>
public sealed class SignalNoiseSumsTests
{
    // Each sample: outputs y of `outputs` values with a scale drawn per sample (log-normal, so samples differ a lot), and
    // noise e = rho * scale * z, either apart from y or in proportion to it. Either way E|e|² = rho² E|y|², so the
    // population's ratio is 1 / rho²: -20 log10(rho) dB. Noise in proportion to a single output is the heavy-tailed
    // case (each sample's noise a product of three draws) where the delta method holds less than 95 % at 300 samples
    // (about 90 %; neither Fieller's interval nor a percentile bootstrap did better when we tried them): its floor says so.
    [Theory]
    [InlineData(1000, 10, 0.1, false, 0.93)]
    [InlineData(300, 10, 0.05, false, 0.93)]
    [InlineData(2000, 4, 0.02, true, 0.93)]
    [InlineData(300, 10, 0.05, true, 0.92)]
    [InlineData(300, 1, 0.2, true, 0.88)]
    public void Interval_SyntheticOutputsOfKnownRatio_HoldsTheTrueRatioInAbout95PercentOfDraws(int samples, int outputs, double rho, bool proportional, double floor)
    {
        // Arrange
        var truth = -20 * Math.Log10(rho) / 100;
        var random = new Random(20261207);
        const int draws = 1000;
        var held = 0;

        // Act
        for (var draw = 0; draw < draws; draw++)
        {
            var sums = new SignalNoiseSums();
            for (var i = 0; i < samples; i++)
            {
                var scale = Math.Exp(0.5 * Normal(random));
                double signal = 0, noise = 0;
                for (var j = 0; j < outputs; j++)
                {
                    var y = scale * Normal(random);
                    var e = rho * (proportional ? y : scale) * Normal(random);
                    signal += y * y;
                    noise += e * e;
                }
                sums.Add(signal, noise);
            }
            var interval = sums.Interval();
            held += interval.Lower <= truth && truth <= interval.Upper ? 1 : 0;
        }

        // Assert: close to the nominal 95 % (never far above it: the interval is not made wide to be safe).
        Assert.InRange(held / (double)draws, floor, 0.97);
    }

    [Fact]
    public void Interval_KnownSums_RatioOfTotalsInDbAndAnIntervalAroundIt()
    {
        var sums = new SignalNoiseSums();
        foreach (var (signal, noise) in new[] { (4.0, 0.04), (9.0, 0.05), (1.0, 0.02), (16.0, 0.09) })
        {
            sums.Add(signal, noise);
        }

        var interval = sums.Interval();

        // 30 / 0.2 = 150: 21.76 dB.
        Assert.Equal(10 * Math.Log10(150) / 100, interval.Value, 12);
        Assert.True(interval.Lower < interval.Value && interval.Value < interval.Upper, $"{interval}");
        Assert.Equal(4, sums.Samples);
    }

    [Fact]
    public void Interval_NoNoise_IsLosslessWithNoWidth()
    {
        var sums = new SignalNoiseSums();
        sums.Add(2, 0);
        sums.Add(3, 0);

        Assert.Equal(new MetricInterval(1, 1, 1), sums.Interval());
    }

    [Fact]
    public void Interval_OneSample_SaysNothingOfTheSpread()
    {
        var sums = new SignalNoiseSums();
        sums.Add(10, 1);

        var interval = sums.Interval();

        Assert.Equal(0.1, interval.Value, 12);
        Assert.Equal((-1.0, 1.0), (interval.Lower, interval.Upper));
    }

    [Fact]
    public void OutputFidelity_Outputs_ResultCarriesTheSnrItsSampleCountAndAnIntervalHoldingIt()
    {
        // Arrange: 400 samples of 3 outputs; the compressed model's outputs are the reference's plus 10 % noise (20 dB).
        torch.manual_seed(7);
        using var reference = torch.randn(400, 3);
        using var noisy = reference + (0.1 * torch.randn(400, 3));
        var accumulator = new OutputFidelityMetric().Start(new MetricTarget(new int[400], 0, Outputs: reference));

        // Act: in two batches, as the evaluator feeds them.
        using (var first = noisy.narrow(0, 0, 250))
        using (var second = noisy.narrow(0, 250, 150))
        {
            accumulator.Add(first, 0);
            accumulator.Add(second, 250);
        }
        var result = accumulator.Result();

        // Assert
        var signal = reference.square().sum().item<float>();
        using var difference = noisy - reference;
        var noise = difference.square().sum().item<float>();
        Assert.Equal(10 * Math.Log10(signal / noise) / 100, result.Accuracy, 5);
        Assert.Equal(400, result.Samples);
        Assert.Null(result.Loss);
        var interval = Assert.IsType<MetricInterval>(result.Interval);
        Assert.Equal(result.Accuracy, interval.Value, 12);
        Assert.InRange(0.20, interval.Lower, interval.Upper);
        Assert.True(interval.Upper - interval.Lower is > 0.002 and < 0.03, $"{interval}");
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
