using System.IO.Compression;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Tests.Checkpoints;

/// <summary>A TorchScript archive copied without its debug tables: smaller, the same tensors, the same outputs.</summary>
public sealed class TorchScriptSlimmerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-slim-").FullName;

    [Fact]
    public void WriteWithoutDebugTables_FixtureCnn_LeavesOutOnlyTheDebugTablesAndLoadsWithTheSameOutputs()
    {
        var source = Fixtures.Path("fmnist_cnn.pt");
        var slim = Path.Combine(_directory, "slim.pt");

        var removed = TorchScriptSlimmer.WriteWithoutDebugTables(source, slim);

        using (var original = ZipFile.OpenRead(source))
        using (var copy = ZipFile.OpenRead(slim))
        {
            var kept = original.Entries.Where(e => !e.FullName.EndsWith(".debug_pkl", StringComparison.Ordinal)).ToArray();
            Assert.Equal(original.Entries.Where(e => e.FullName.EndsWith(".debug_pkl", StringComparison.Ordinal)).Sum(e => e.Length), removed);
            Assert.True(removed > 0);
            Assert.Equal(kept.Select(e => (e.FullName, e.Length, e.Crc32)), copy.Entries.Select(e => (e.FullName, e.Length, e.Crc32)));
            Assert.All(copy.Entries, e => Assert.Equal(e.Length, e.CompressedLength));
        }
        // Headers differ (.NET writes its own, without PyTorch's alignment padding), so only "smaller" is certain.
        Assert.True(new FileInfo(slim).Length < new FileInfo(source).Length);

        // The product's own reader finds every tensor, and TorchSharp loads the copy and computes what the original does.
        var before = CheckpointReader.Read(source).Tensors.Select(t => t.Name).Order().ToArray();
        Assert.Equal(before, CheckpointReader.Read(slim).Tensors.Select(t => t.Name).Order().ToArray());
        using var originalModel = ScriptedModel.Load(source);
        using var slimModel = ScriptedModel.Load(slim);
        var data = FixtureData.FashionMnistEvaluation();
        using var set = new EvaluationSet(data.Features.AsSpan(0, 200 * 28 * 28), data.Labels[..200], data.SampleShape, data.Classes, TorchSharp.torch.CPU, batchSize: 100);
        Assert.Equal(originalModel.Evaluate(set).Accuracy, slimModel.Evaluate(set).Accuracy);
        var names = originalModel.Tensors.Where(t => t.IsParameter).Select(t => t.Name).ToArray();
        Assert.Equal(originalModel.ReadFlat(names), slimModel.ReadFlat(names));
    }

    [Fact]
    public void WriteWithoutDebugTables_NotAZip_IsRefusedWithAMessage()
    {
        var source = Path.Combine(_directory, "not-a-zip.pt");
        File.WriteAllBytes(source, [1, 2, 3, 4, 5, 6, 7, 8]);

        var error = Assert.Throws<InvalidInputException>(() => TorchScriptSlimmer.WriteWithoutDebugTables(source, Path.Combine(_directory, "out.pt")));

        Assert.Contains("debug tables", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
