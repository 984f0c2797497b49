using WeightShare.Engine.Codecs.Paper;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Pipeline;
using TorchSharp;

namespace WeightShare.Engine.Tests.Pipeline;

/// <summary>
/// Data without labels: inputs alone (x in an npz) are enough for the metrics measured against the uploaded model
/// itself, agreement for a classifier and output fidelity for any output, here a regression model's.
/// </summary>
public sealed class UnlabelledDataTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-unlabelled-").FullName;

    private static LabelledDataset Inputs() => Preprocessing.FashionMnist.Apply(DatasetReader.Read([Fixtures.Path("eval_x.npz")]));

    private static RunSettings Options(string metric, string codec) => new()
    {
        Codec = codec,
        Metric = metric,
        ValidationSamples = 400,
        Search = new SearchSettings(Population: 8, Generations: 3, KMin: 2, KMax: 64, Seed: 4),
        Calibration = new CalibrationSettings(Budget: 0),
    };

    [Fact]
    public void Read_NpzWithXAlone_HasNoLabels()
    {
        var data = DatasetReader.Read([Fixtures.Path("eval_x.npz")]);

        Assert.False(data.IsLabelled);
        Assert.Equal(0, data.Classes);
        Assert.Equal(2000, data.Count);
        Assert.Equal([1, 28, 28], data.SampleShape);
    }

    [Fact]
    public async Task RunAsync_AgreementOnUnlabelledData_FiguresAreTheShareOfTestPredictionsTheUploadedModelMakes()
    {
        // Arrange
        var data = Inputs();
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), data, Options("agreement", PaperCodec.CodecId));
        var store = new InMemoryRunStore(_directory);

        // Act
        await new CompressionPipeline(session, store).RunAsync(CancellationToken.None);

        // Assert: the uploaded model agrees with itself; each solution's test figure is its agreement, recomputed here
        // with TorchSharp from the written checkpoint and the uploaded file on the test split.
        Assert.Equal(1.0, store.Baseline!.Test.Accuracy);
        var original = Outputs(Fixtures.Path("fmnist_cnn.pt"), data, session.TestIndices).argmax(1);
        foreach (var solution in store.Finished)
        {
            using var compressed = Outputs(solution.Files.CheckpointPath, data, session.TestIndices).argmax(1);
            var agreement = compressed.eq(original).to(torch.float64).mean().item<double>();
            Assert.Equal(agreement, solution.Figures.TestAccuracy, 9);
        }
        Assert.Contains(store.Finished, s => s.Figures.TestAccuracy >= 0.95);
        Assert.Contains(store.Finished, s => s.Figures.TestAccuracy < 0.95);
    }

    [Fact]
    public async Task RunAsync_OutputFidelityOfARegressionModel_FiguresAreTheOutputsSnrOnTheTestSplit()
    {
        // Arrange: a model that returns 4 numbers per image, not class scores.
        var data = Inputs();
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_regressor.pt"), data, Options("outputFidelity", ScalarCodec.CodecId));
        var store = new InMemoryRunStore(_directory);

        // Act
        await new CompressionPipeline(session, store).RunAsync(CancellationToken.None);

        // Assert: 100 dB for the uploaded model; each solution's test figure is the SNR of its checkpoint's outputs.
        Assert.False(session.Calibrating);
        Assert.Equal(1.0, store.Baseline!.Test.Accuracy);
        using var original = Outputs(Fixtures.Path("fmnist_regressor.pt"), data, session.TestIndices).to(torch.float64);
        Assert.Equal([session.TestCount, 4L], original.shape);
        foreach (var solution in store.Finished)
        {
            using var compressed = Outputs(solution.Files.CheckpointPath, data, session.TestIndices).to(torch.float64);
            var decibels = 10 * Math.Log10(original.square().sum().item<double>() / (compressed - original).square().sum().item<double>());
            Assert.Equal(Math.Min(decibels, WeightFidelity.MaxDecibels), WeightFidelity.ToDecibels(solution.Figures.TestAccuracy), 6);
        }
        var decibelsBySize = store.Finished.OrderBy(s => s.Figures.CompressedBytes).Select(s => WeightFidelity.ToDecibels(s.Figures.TestAccuracy)).ToList();
        Assert.True(decibelsBySize[^1] > decibelsBySize[0] + 10, string.Join(", ", decibelsBySize));
    }

    [Theory]
    [InlineData("accuracy")]
    [InlineData("macroF1")]
    public void Open_LabelMetricOnUnlabelledData_IsRefusedNamingTheMetricsThatWork(string metric)
    {
        var error = Assert.Throws<InvalidInputException>(() => CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), Inputs(), Options(metric, PaperCodec.CodecId)));

        Assert.Contains("no labels", error.Message, StringComparison.Ordinal);
        Assert.Contains("agreement", error.Message, StringComparison.Ordinal);
        Assert.Contains("outputFidelity", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The model file's outputs, by TorchSharp directly, on the samples <paramref name="indices"/> picks.</summary>
    private static torch.Tensor Outputs(string path, LabelledDataset data, IReadOnlyList<int> indices)
    {
        var features = data.Pick(indices).Features;
        using var module = torch.jit.load(path);
        module.eval();
        using var noGrad = torch.no_grad();
        using var input = torch.tensor(features, [indices.Count, .. data.SampleShape.Select(d => (long)d)]);
        return (torch.Tensor)module.forward(input);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
