using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Evaluation;
using TorchSharp;

namespace WeightShare.Engine.Tests.Evaluation;

/// <summary>The ONNX evaluation backend: ONNX Runtime runs the fixture CNN's export as TorchSharp runs its TorchScript.</summary>
public sealed class OnnxModelTests
{
    private static EvaluationSet Set(LabelledDataset data) =>
        new(data.Features, data.Labels, data.SampleShape, data.Classes, torch.CPU, 256);

    [Fact]
    public void Evaluate_OnnxExportOfTheFixtureCnn_SameAccuracyAsItsTorchScript()
    {
        // Arrange
        var data = FixtureData.FashionMnistEvaluation();
        using var set = Set(data);
        using var onnx = OnnxModel.Load(Fixtures.Path("fmnist_cnn.onnx"), CheckpointReader.Read(Fixtures.Path("fmnist_cnn.onnx")));
        using var script = ScriptedModel.Load(Fixtures.Path("fmnist_cnn.pt"));

        // Act
        var fromOnnx = onnx.Evaluate(set);
        var fromScript = script.Evaluate(set);

        // Assert: the same predictions but for float rounding (at most one sample in 2,000), and what PyTorch measured.
        Assert.InRange(Math.Abs(fromOnnx.Accuracy - fromScript.Accuracy), 0, 1.0 / data.Count + 1e-12);
        Assert.InRange(Math.Abs(fromOnnx.Accuracy - Fixtures.Measured("cnn_eval_accuracy")), 0, 1.0 / data.Count + 1e-12);
        Assert.False(onnx.HasAutograd);
    }

    [Fact]
    public void WriteFlat_ChangedWeights_FedAsInputsGiveWhatARebuiltSessionGives()
    {
        // Arrange: both ways of getting weights into ONNX Runtime, the same halved weights.
        var data = FixtureData.FashionMnistEvaluation();
        using var set = Set(data);
        var layout = CheckpointReader.Read(Fixtures.Path("fmnist_cnn.onnx"));
        using var fed = OnnxModel.Load(Fixtures.Path("fmnist_cnn.onnx"), layout, OnnxWeightFeed.Inputs);
        using var rebuilt = OnnxModel.Load(Fixtures.Path("fmnist_cnn.onnx"), layout, OnnxWeightFeed.Rebuild);
        var names = fed.Tensors.Where(t => t.IsParameter && t.Shape.Length >= 2).Select(t => t.Name).ToArray();
        var before = fed.Evaluate(set);
        var halved = fed.ReadFlat(names).Select(v => v * 0.5f).ToArray();

        // Act
        fed.WriteFlat(names, halved);
        rebuilt.WriteFlat(names, halved);

        // Assert: the change is seen, the same by both ways, and read back as written.
        var afterFed = fed.Evaluate(set);
        Assert.Equal(afterFed, rebuilt.Evaluate(set));
        Assert.NotEqual(before.Accuracy, afterFed.Accuracy);
        Assert.Equal(halved, fed.ReadFlat(names));
        Assert.Equal(4, names.Length);
    }
}
