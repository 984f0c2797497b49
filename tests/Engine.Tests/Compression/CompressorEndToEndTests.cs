using WeightShare.Engine.Coding;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Evaluation;
using Xunit.Abstractions;

namespace WeightShare.Engine.Tests.Compression;

public sealed class CompressorEndToEndTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-e2e-").FullName;

    public CompressorEndToEndTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task RunAsync_FixtureCnn_ReachesTenfoldWithinOnePointOfTestAccuracy()
    {
        var data = FixtureData.FashionMnistEvaluation();
        var options = new CompressionOptions
        {
            ValidationSamples = 500,
            Search = new SearchSettings(Population: 16, Generations: 6, KMin: 2, KMax: 256, Seed: 1),
        };

        var report = await WeightShareCompressor.RunAsync(Fixtures.Path("fmnist_cnn.pt"), data, options, _directory);

        var baseline = report.Baseline;
        _output.WriteLine($"baseline: validation {baseline.Validation.Accuracy:P2}, test {baseline.Test.Accuracy:P2}, {baseline.SizeBytes} bytes, {report.SharedWeights} shared weights");
        _output.WriteLine($"evaluations {report.EvaluationsComputed}, cache hits {report.CacheHits}, seconds: baseline {report.Timings.BaselineSeconds:F1}, search {report.Timings.SearchSeconds:F1}, merge {report.Timings.MergeSeconds:F1}, finish {report.Timings.FinishSeconds:F1}");
        foreach (var solution in report.Solutions.Select(s => s.Figures))
        {
            _output.WriteLine($"k {solution.K,4} values {solution.SharedValues,4} merged {solution.Merged,-5} val {solution.ValidationAccuracy:P2} test {solution.TestAccuracy:P2} bits {solution.BitsPerWeight:F2} wsz {solution.CompressedBytes} file x{solution.FileCompressionRatio:F2} paper x{solution.PaperCompressionRatio:F2}");
        }

        Assert.Equal(6, report.Generations.Count);
        Assert.NotEmpty(report.Solutions);
        var best = report.Solutions.Select(s => s.Figures)
            .Where(s => s.TestAccuracy >= baseline.Test.Accuracy - 0.01)
            .MaxBy(s => s.FileCompressionRatio);
        Assert.NotNull(best);
        Assert.True(best.FileCompressionRatio >= 10, $"best file ratio within one point was {best.FileCompressionRatio:F2}");
        foreach (var solution in report.Solutions)
        {
            Assert.Equal(new FileInfo(solution.CompressedPath).Length, solution.Figures.CompressedBytes);
        }
    }

    [Fact]
    public async Task Finish_Solution_CheckpointLoadsAndDecompressesToTheSameBytes()
    {
        var data = FixtureData.FashionMnistEvaluation();
        var options = new CompressionOptions { ValidationSamples = 500 };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), data, options);
        var compressed = Path.Combine(_directory, "k32.wsz");
        var checkpoint = Path.Combine(_directory, "k32.pt");

        var plan = await session.MergeAsync(32, null, CancellationToken.None);
        var figures = session.Finish(plan, compressed, checkpoint);

        // The checkpoint is a TorchScript file that torch.jit.load opens, holding exactly the codebook's values.
        using (var reloaded = ScriptedModel.Load(checkpoint))
        {
            var names = session.Shared.Select(s => s.Name).ToArray();
            var values = reloaded.ReadFlat(names).Distinct().Count();
            Assert.Equal(figures.SharedValues, values);
        }

        // Decompressing the .wsz file rebuilds the checkpoint byte for byte.
        using var reconstructed = new MemoryStream();
        using (var input = File.OpenRead(compressed))
        {
            WszDecoder.Reconstruct(WszReader.Read(input), reconstructed);
        }
        Assert.Equal(File.ReadAllBytes(checkpoint), reconstructed.ToArray());
        Assert.True(figures.CompressedBytes < new FileInfo(checkpoint).Length / 8);
    }

    [Theory]
    [InlineData("my model.pt", "my model.pt")]
    [InlineData("folder/model.pt", "fmnist_cnn.pt")]
    [InlineData(null, "fmnist_cnn.pt")]
    public async Task Finish_ModelFileNameGiven_TheWszRecordsItWhenTheFormatCanHoldIt(string? given, string recorded)
    {
        var data = FixtureData.FashionMnistEvaluation();
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), data, new CompressionOptions { ValidationSamples = 300 }, given);
        var compressed = Path.Combine(_directory, "k8.wsz");

        var figures = session.Finish(await session.MergeAsync(8, null, CancellationToken.None), compressed, Path.Combine(_directory, "k8.pt"));

        Assert.Equal(recorded, session.ModelFileName);
        using var input = File.OpenRead(compressed);
        Assert.Equal(recorded, WszReader.Read(input).OriginalFileName);
        Assert.Equal(new FileInfo(compressed).Length, figures.CompressedBytes);
    }

    [Fact]
    public void Open_StateDictWithoutArchitecture_ExplainsWhatToUpload()
    {
        var data = FixtureData.FashionMnistEvaluation();

        var error = Assert.Throws<InvalidInputException>(() => CompressionSession.Open(Fixtures.Path("fmnist_cnn_state.pt"), data, new CompressionOptions()));

        Assert.Contains("TorchScript", error.Message);
    }

    [Fact]
    public void Open_AllTrainableScope_SharesBiasesAndNormScalesToo()
    {
        var data = FixtureData.FashionMnistEvaluation();

        using var weights = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), data, new CompressionOptions());
        using var all = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), data, new CompressionOptions { Scope = SharedScope.AllTrainable });

        Assert.Equal(206_736, weights.SharedWeightCount);
        Assert.All(weights.Shared, s => Assert.EndsWith(".weight", s.Name));
        Assert.Contains(all.Shared, s => s.Name == "fc1.bias");
        Assert.Contains(all.Shared, s => s.Name == "bn1.weight");
        Assert.DoesNotContain(all.Shared, s => s.Name.Contains("running"));
        // Biases: 16 + 32 + 128 + 10; BatchNorm scales and shifts: 2 x (16 + 32).
        Assert.Equal(206_736 + 186 + 96, all.SharedWeightCount);
    }

    [Fact]
    public void Open_DatasetOfAnotherShape_IsRefusedBeforeAnyWork()
    {
        var data = FixtureData.FashionMnistEvaluation();
        var cifarShaped = new LabelledDataset(new float[data.Count * 3 * 32 * 32], data.Labels, [3, 32, 32], data.Classes);

        var error = Assert.Throws<InvalidInputException>(() => CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), cifarShaped, new CompressionOptions()));

        Assert.Contains("[2, 3, 32, 32]", error.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
