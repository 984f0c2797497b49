using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Compression;

namespace WeightShare.Engine.Tests.Codecs;

/// <summary>
/// A checkpoint the product writes is what it claims in real PyTorch: Debian's python3-torch loads it with
/// torch.jit.load (scripts/check_checkpoint.py) and measures the test accuracy the product reported, on the same split.
/// </summary>
public sealed class RealPyTorchTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-torch-").FullName;

    [Fact]
    public async Task Checkpoint_CalibratedScalarSolution_RealPyTorchMeasuresTheClaimedTestAccuracy()
    {
        // Arrange: a calibrated solution of the scalar codec (its small parameters are tuned too).
        var options = new RunSettings
        {
            Codec = ScalarCodec.CodecId,
            ValidationSamples = 300,
            Calibration = new CalibrationSettings(Samples: 500, Steps: 40, BatchSize: 32),
        };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), options);
        var refinement = await session.RefineAsync(new SolutionPlan([12, 1, 0, 0, 0, 0]), null, CancellationToken.None);
        var checkpoint = Path.Combine(_directory, "calibrated.pt");
        var figures = session.Finish(refinement!.Plan, Path.Combine(_directory, "calibrated.wsz"), checkpoint);
        var indices = Path.Combine(_directory, "test_indices.json");
        await File.WriteAllTextAsync(indices, JsonSerializer.Serialize(session.TestIndices));

        // Act
        var measured = await CheckAsync(checkpoint, indices, figures.TestAccuracy);

        // Assert: the same samples, and the same accuracy to within one sample.
        Assert.Equal(session.TestCount, measured.GetProperty("samples").GetInt32());
        Assert.InRange(measured.GetProperty("accuracy").GetDouble() - figures.TestAccuracy, -1.0 / session.TestCount, 1.0 / session.TestCount);
    }

    [Fact]
    public async Task Checkpoint_FineTunedAdditiveSolution_RealPyTorchMeasuresTheClaimedTestAccuracy()
    {
        // Arrange: a fine-tuned additive solution (codewords and small parameters tuned, 1 bit per weight before coding).
        var options = new RunSettings
        {
            Codec = Engine.Codecs.Additive.AdditiveCodec.CodecId,
            ValidationSamples = 300,
            Calibration = new CalibrationSettings(Samples: 500, Steps: 40, BatchSize: 32),
        };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), options);
        var refinement = await session.RefineAsync(new SolutionPlan([8, 1, 8]), null, CancellationToken.None);
        var checkpoint = Path.Combine(_directory, "fine-tuned.pt");
        var figures = session.Finish(refinement!.Plan, Path.Combine(_directory, "fine-tuned.wsz"), checkpoint);
        var indices = Path.Combine(_directory, "test_indices.json");
        await File.WriteAllTextAsync(indices, JsonSerializer.Serialize(session.TestIndices));

        // Act
        var measured = await CheckAsync(checkpoint, indices, figures.TestAccuracy);

        // Assert: the same samples, and the same accuracy to within one sample.
        Assert.True(refinement.Plan.IsRefined);
        Assert.Equal(session.TestCount, measured.GetProperty("samples").GetInt32());
        Assert.InRange(measured.GetProperty("accuracy").GetDouble() - figures.TestAccuracy, -1.0 / session.TestCount, 1.0 / session.TestCount);
    }

    private static async Task<JsonElement> CheckAsync(string checkpoint, string indices, double expected)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "scripts", "check_checkpoint.py"),
                "--model", checkpoint,
                "--data", Fixtures.Path("eval-images-idx3-ubyte.gz"),
                "--data", Fixtures.Path("eval-labels-idx1-ubyte.gz"),
                "--indices", indices,
                "--scale", (1 / 255.0).ToString("R", CultureInfo.InvariantCulture),
                "--mean", "0.2860",
                "--std", "0.3530",
                "--expect", expected.ToString("R", CultureInfo.InvariantCulture),
            },
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"check_checkpoint.py exited {process.ExitCode}: {output} {error}");
        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
