using System.Diagnostics;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Codecs.Paper;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Pipeline;
using WeightShare.Engine.Wsz;
using TorchSharp;
using Xunit.Abstractions;

namespace WeightShare.Engine.Tests.Pipeline;

/// <summary>
/// An ONNX model through the whole pipeline, evaluated by ONNX Runtime: its front matches the TorchScript run's, and
/// the .onnx it writes loads in ONNX Runtime and in Debian's python3-onnx with the claimed accuracy.
/// </summary>
public sealed class OnnxRunTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-onnx-").FullName;

    private static RunSettings Options => new()
    {
        Codec = PaperCodec.CodecId,
        ValidationSamples = 500,
        Search = new SearchSettings(Population: 12, Generations: 4, KMin: 2, KMax: 128, Seed: 1),
    };

    [Fact]
    public async Task RunAsync_OnnxExportOfTheFixtureCnn_FrontLikeTheTorchScriptRunsAndFilesThatLoad()
    {
        // Arrange: the ONNX export folds BatchNorm into the convolutions; fmnist_cnn_folded.pt is the same network
        // (the same weights) as TorchScript, so the two runs search one model through two backends.
        var data = FixtureData.FashionMnistEvaluation();
        using var onnx = CompressionSession.Open(Fixtures.Path("fmnist_cnn.onnx"), data, Options);
        using var script = CompressionSession.Open(Fixtures.Path("fmnist_cnn_folded.pt"), data, Options);
        var onnxStore = new InMemoryRunStore(Path.Combine(_directory, "onnx"));
        var scriptStore = new InMemoryRunStore(Path.Combine(_directory, "script"));

        // Act
        await new CompressionPipeline(onnx, onnxStore).RunAsync(CancellationToken.None);
        await new CompressionPipeline(script, scriptStore).RunAsync(CancellationToken.None);

        // Assert: the same baseline, the same weights shared, and the same front but for float rounding: every point
        // both fronts hold scores the same within two test samples, and most points are on both.
        foreach (var (name, store) in new[] { ("onnx", onnxStore), ("torchscript", scriptStore) })
        {
            output.WriteLine($"{name}: " + string.Join(", ", store.Finished.Select(s => $"{s.Figures.Description} {s.Figures.TestAccuracy:P2} x{s.Figures.FileCompressionRatio:F2}")));
        }
        Assert.InRange(Math.Abs(scriptStore.Baseline!.Test.Accuracy - onnxStore.Baseline!.Test.Accuracy), 0, 1.0 / onnx.TestCount + 1e-12);
        Assert.Equal(["fc1.weight", "fc2.weight", "onnx::Conv_32", "onnx::Conv_35"], onnx.Shared.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Equal(script.Weights.Values.Order(), onnx.Weights.Values.Order());
        var twins = 0;
        foreach (var solution in onnxStore.Finished)
        {
            if (scriptStore.Finished.FirstOrDefault(s => s.Solution.Plan.Genes.SequenceEqual(solution.Solution.Plan.Genes)) is { } twin)
            {
                twins++;
                Assert.InRange(Math.Abs(solution.Figures.TestAccuracy - twin.Figures.TestAccuracy), 0, (2.0 / onnx.TestCount) + 1e-12);
            }
        }
        Assert.True(twins * 2 >= onnxStore.Finished.Count, $"{twins} of {onnxStore.Finished.Count} points on both fronts");
        static double Best(InMemoryRunStore store) => store.Finished
            .Where(s => s.Figures.TestAccuracy >= store.Baseline!.Test.Accuracy - 0.01).Max(s => s.Figures.FileCompressionRatio);
        Assert.InRange(Best(onnxStore) / Best(scriptStore), 0.8, 1.25);

        // Every written .onnx: what its .wsz rebuilds, and ONNX Runtime measures the claimed test accuracy on it.
        var layout = CheckpointReader.Read(Fixtures.Path("fmnist_cnn.onnx"));
        using var test = data.Subset(onnx.TestIndices, torch.CPU);
        foreach (var solution in onnxStore.Finished)
        {
            Assert.EndsWith(".onnx", solution.Files.CheckpointName, StringComparison.Ordinal);
            using (var input = File.OpenRead(solution.Files.CompressedPath))
            {
                Assert.Equal(File.ReadAllBytes(solution.Files.CheckpointPath), WszDecoder.ReconstructToArray(WszReader.Read(input)));
            }
            using var written = OnnxModel.Load(solution.Files.CheckpointPath, CheckpointReader.Read(solution.Files.CheckpointPath));
            Assert.Equal(solution.Figures.TestAccuracy, written.Evaluate(test).Accuracy);
            Assert.Equal(layout.Tensors.Select(t => t.Name), CheckpointReader.Read(solution.Files.CheckpointPath).Tensors.Select(t => t.Name));
        }

        // Debian's python3-onnx loads one and its checker passes; its shared initializers hold the solution's values.
        var smallest = onnxStore.Finished.MinBy(s => s.Figures.SharedValues)!;
        var distinct = await CheckWithPythonOnnxAsync(smallest.Files.CheckpointPath, onnx.Shared.Select(s => s.Name));
        Assert.Equal(smallest.Figures.SharedValues, distinct);
    }

    private static async Task<int> CheckWithPythonOnnxAsync(string path, IEnumerable<string> shared)
    {
        const string Script = """
            import sys, numpy, onnx
            from onnx import numpy_helper
            model = onnx.load(sys.argv[1])
            onnx.checker.check_model(model)
            names = set(sys.argv[2:])
            values = numpy.concatenate([numpy_helper.to_array(t).ravel() for t in model.graph.initializer if t.name in names])
            print(len(numpy.unique(values)))
            """;
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(path);
        foreach (var name in shared)
        {
            start.ArgumentList.Add(name);
        }
        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"python3-onnx refused the file: {error}");
        return int.Parse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
