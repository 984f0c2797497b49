using TorchSharp;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Tests.Evaluation;

public class ScriptedModelTests
{
    [Theory]
    [InlineData("fmnist_cnn.pt", "cnn_eval_accuracy")]
    [InlineData("fmnist_mlp.pt", "mlp_eval_accuracy")]
    [InlineData("fmnist_cnn_libtorch210.pt", "cnn_eval_accuracy")]
    public void Evaluate_FixtureModel_MatchesPyTorchAccuracy(string model, string measured)
    {
        var data = FixtureData.FashionMnistEvaluation();
        using var set = new EvaluationSet(data.Features, data.Labels, data.SampleShape, data.Classes, torch.CPU);
        using var scripted = ScriptedModel.Load(Fixtures.Path(model));

        var result = scripted.Evaluate(set);

        Assert.Equal(2000, result.Samples);
        Assert.InRange(result.Accuracy, Fixtures.Measured(measured) - 0.002, Fixtures.Measured(measured) + 0.002);
        Assert.InRange(result.MacroF1, result.Accuracy - 0.05, result.Accuracy + 0.05);
    }

    [Fact]
    public void Evaluate_Libtorch210Resave_SameFiguresAndTensorsAsTheTorch113File()
    {
        // Arrange
        var data = FixtureData.FashionMnistEvaluation();
        using var set = new EvaluationSet(data.Features, data.Labels, data.SampleShape, data.Classes, torch.CPU);
        using var older = ScriptedModel.Load(Fixtures.Path("fmnist_cnn.pt"));

        // Act
        using var newer = ScriptedModel.Load(Fixtures.Path("fmnist_cnn_libtorch210.pt"));

        // Assert: the same weights running the same code give the same predictions, so the same figures.
        Assert.Equal(older.Tensors.Select(t => (t.Name, t.IsParameter)), newer.Tensors.Select(t => (t.Name, t.IsParameter)));
        var names = older.Tensors.Where(t => t.IsParameter).Select(t => t.Name).ToArray();
        Assert.Equal(older.ReadFlat(names), newer.ReadFlat(names));
        var expected = older.Evaluate(set);
        var result = newer.Evaluate(set);
        Assert.Equal(expected.Accuracy, result.Accuracy);
        Assert.Equal(expected.MacroF1, result.MacroF1);
    }

    [Fact]
    public void Tensors_ScriptedCnn_SeparatesParametersFromBatchNormBuffers()
    {
        using var scripted = ScriptedModel.Load(Fixtures.Path("fmnist_cnn.pt"));

        var parameters = scripted.Tensors.Where(t => t.IsParameter).Select(t => t.Name).ToArray();
        var buffers = scripted.Tensors.Where(t => !t.IsParameter).Select(t => t.Name).ToArray();

        Assert.Contains("conv1.weight", parameters);
        Assert.Contains("fc1.weight", parameters);
        Assert.Contains("bn1.running_mean", buffers);
        Assert.DoesNotContain("bn1.running_mean", parameters);
        Assert.Equal(new long[] { 128, 32 * 7 * 7 }, scripted.Tensors.Single(t => t.Name == "fc1.weight").Shape);
    }

    [Fact]
    public void WriteFlat_ZeroedClassifier_DropsAccuracyToOneClass()
    {
        var data = FixtureData.FashionMnistEvaluation();
        using var set = new EvaluationSet(data.Features, data.Labels, data.SampleShape, data.Classes, torch.CPU);
        using var scripted = ScriptedModel.Load(Fixtures.Path("fmnist_cnn.pt"));
        var names = new[] { "fc2.weight", "fc2.bias" };
        var original = scripted.ReadFlat(names);

        scripted.WriteFlat(names, new float[original.Length]);
        var zeroed = scripted.Evaluate(set);
        scripted.WriteFlat(names, original);
        var restored = scripted.Evaluate(set);

        // With zero logits every sample is predicted as class 0: exactly the 10% of samples in that class are right.
        Assert.Equal(0.1, zeroed.Accuracy, 6);
        Assert.Equal(original, scripted.ReadFlat(names));
        Assert.InRange(restored.Accuracy, 0.85, 1.0);
    }

    [Fact]
    public void WriteFlat_DistinctValuesAcrossTensors_EachLandsInItsOwnTensorInOrder()
    {
        using var scripted = ScriptedModel.Load(Fixtures.Path("fmnist_cnn.pt"));
        var names = new[] { "conv1.weight", "conv2.weight", "fc1.weight" };
        var count = scripted.ReadFlat(names).Length;
        var written = Enumerable.Range(0, count).Select(i => i * 1e-3f - 7).ToArray();

        scripted.WriteFlat(names, written);

        // Read back through each tensor alone: a block copy put at the wrong offset or cut short shows here.
        var offset = 0;
        foreach (var name in names)
        {
            var values = scripted.ReadFlat([name]);
            Assert.Equal(written.AsSpan(offset, values.Length).ToArray(), values);
            offset += values.Length;
        }
        Assert.Equal(count, offset);
    }

    [Fact]
    public void Check_CifarShapedDataOnTheFashionMnistCnn_NamesTheInterpretersReason()
    {
        // Arrange: CIFAR's shape (3 x 32 x 32) into a CNN whose first convolution takes 1 channel.
        var data = FixtureData.FashionMnistEvaluation();
        var cifarShaped = new LabelledDataset(new float[data.Count * 3 * 32 * 32], data.Labels, [3, 32, 32], data.Classes);

        // Act: the probe a new run makes before it exists.
        var error = Assert.Throws<InvalidInputException>(() =>
            ModelProbe.Check(Fixtures.Path("fmnist_cnn.pt"), cifarShaped, MetricRegistry.Default.Get("accuracy"), ComputeDevice.Cpu));

        // Assert: the shape, and the interpreter's own reason after its traceback, not only its first line; bounded.
        Assert.Contains("[2, 3, 32, 32]", error.Message);
        Assert.Contains("expected input[2, 3, 32, 32] to have 1 channels, but got 3 channels instead", error.Message);
        Assert.DoesNotContain("Traceback", error.Message);
        Assert.InRange(error.Message.Length, 1, 600);
    }

    [Fact]
    public void Load_NotAModel_ThrowsInvalidInput()
    {
        var path = System.IO.Path.GetTempFileName();
        File.WriteAllText(path, "not a TorchScript archive");
        try
        {
            var error = Assert.Throws<InvalidInputException>(() => ScriptedModel.Load(path));
            Assert.Contains("torch.jit.load", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("rgb_conv.pt", "rgb_conv_logits.bin")]
    [InlineData("rgb_flat.pt", "rgb_flat_logits.bin")]
    public void Outputs_RgbImages_MatchPyTorchsWhetherTheModelRunsThemChannelsLastOrNot(string model, string logits)
    {
        // Arrange: eight RGB images and the logits real PyTorch gave for them. rgb_conv runs them channels-last;
        // rgb_flat views its input as flat, which a channels-last batch cannot be, so it runs them as they are.
        var inputs = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Fixtures.Path("rgb_inputs.bin"))).ToArray();
        var expected = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Fixtures.Path(logits))).ToArray();
        using var set = new EvaluationSet(inputs, new int[8], [3, 32, 32], 10, torch.CPU, batchSize: 4);
        using var scripted = ScriptedModel.Load(Fixtures.Path(model));

        // Act: twice, so a model that fell back on its first batch runs the later ones as it should.
        using var first = scripted.Outputs(set, CancellationToken.None);
        using var second = scripted.Outputs(set, CancellationToken.None);

        // Assert
        Assert.Equal(new long[] { 8, 10 }, first.shape);
        var values = first.contiguous().data<float>().ToArray();
        Assert.All(Enumerable.Range(0, expected.Length), i => Assert.Equal(expected[i], values[i], 1e-4f));
        Assert.Equal(values, second.contiguous().data<float>().ToArray());
    }
}
