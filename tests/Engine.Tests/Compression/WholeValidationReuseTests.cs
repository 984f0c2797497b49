using WeightShare.Engine.Codecs;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Compression;

namespace WeightShare.Engine.Tests.Compression;

/// <summary>
/// Finish reuses what the session measured on the whole validation split for the same plan (a front point measured in
/// full after the search, a calibrated point): it reports exactly what a fresh measurement reports, without measuring.
/// </summary>
public sealed class WholeValidationReuseTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-reuse-").FullName;

    private static CompressionSession Open() => CompressionSession.Open(
        Fixtures.Path("fmnist_cnn.pt"),
        FixtureData.FashionMnistEvaluation(),
        new RunSettings { Codec = ScalarCodec.CodecId, ValidationSamples = 300 });

    [Fact]
    public void Finish_PlanMeasuredInFullBefore_SameFiguresAsAFreshSessionWithoutMeasuringAgain()
    {
        // Arrange: one session measures the plan first, as the pipeline does for the front; another does not.
        var plan = new SolutionPlan([12, 1, 1, 0, 1, 0]);
        using var reusing = Open();
        using var fresh = Open();
        var measured = reusing.MeasureWholeValidation(plan);
        var before = reusing.WholeValidationsMeasured;

        // Act
        var reused = reusing.Finish(plan, Path(1, ".wsz"), Path(1, ".pt"));
        var remeasured = fresh.Finish(plan, Path(2, ".wsz"), Path(2, ".pt"));
        var again = reusing.Finish(plan, Path(3, ".wsz"), Path(3, ".pt"));

        // Assert: the first Finish took the kept figures (no measurement), which equal a fresh measurement's; a second
        // Finish of the same plan measures again (the figures are handed over once).
        Assert.Equal(before, reusing.WholeValidationsMeasured - 1);
        Assert.Equal(measured.Accuracy, reused.ValidationAccuracy);
        Assert.Equal(remeasured.ValidationAccuracy, reused.ValidationAccuracy);
        Assert.Equal(remeasured.ValidationMacroF1, reused.ValidationMacroF1);
        Assert.Equal(remeasured.ValidationLoss, reused.ValidationLoss);
        Assert.Equal(remeasured.TestAccuracy, reused.TestAccuracy);
        Assert.Equal(remeasured.ValidationAccuracy, again.ValidationAccuracy);
    }

    [Fact]
    public void Finish_OtherPlanMeasuredBefore_MeasuresItsOwn()
    {
        using var session = Open();
        session.MeasureWholeValidation(new SolutionPlan([12, 1, 1, 0, 1, 0]));
        var before = session.WholeValidationsMeasured;

        session.Finish(new SolutionPlan([13, 1, 1, 0, 1, 0]), Path(1, ".wsz"), Path(1, ".pt"));

        Assert.Equal(before + 1, session.WholeValidationsMeasured);
    }

    private string Path(int n, string extension) => System.IO.Path.Combine(_directory, $"solution{n}{extension}");

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
