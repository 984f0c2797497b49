using System.Net;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Evaluation;
using WeightShare.Web.Tests.Infrastructure;
using TorchSharp;

namespace WeightShare.Web.Tests.Api;

/// <summary>
/// An ONNX model through the API: it uploads as evaluable, runs on labelled data in ONNX Runtime, and the .onnx it
/// offers loads in ONNX Runtime with the accuracy the solution claims and is what /api/decompress rebuilds.
/// </summary>
public sealed class OnnxRunApiTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    [Fact]
    public async Task Run_OnnxExportOfTheFixtureCnn_SolutionsWhoseOnnxFilesLoadWithTheClaimedAccuracy()
    {
        // Arrange
        var client = catalog.Client;
        using var upload = await client.PostFixtureAsync("/api/models", Fixtures.CnnOnnx);
        var model = await upload.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("onnx", model.GetProperty("format").GetString());
        Assert.True(model.GetProperty("canEvaluate").GetBoolean());

        // Act
        var runId = await client.StartRunAsync(new
        {
            modelId = model.GetProperty("id").GetString(),
            datasetId = catalog.FashionMnistId,
            validationSamples = 300,
            search = new { population = 8, generations = 3, kMin = 4, kMax = 64, seed = 1 },
        });
        var run = await client.WaitForStatusAsync(runId, "Succeeded", TimeSpan.FromMinutes(3));
        Assert.Equal(0, run.GetProperty("settings").GetProperty("calibration").GetProperty("samples").GetInt32());

        // Assert: every solution's .onnx loads in ONNX Runtime; over all 2,000 samples (validation 300 + test 1,700)
        // it scores exactly what the solution's validation and test figures add up to.
        var solutions = (await client.GetJsonAsync($"/api/runs/{runId}/solutions")).EnumerateArray().ToList();
        Assert.NotEmpty(solutions);
        var data = Preprocessing.FashionMnist.Apply(DatasetReader.Read([Fixtures.PathOf(Fixtures.Images), Fixtures.PathOf(Fixtures.Labels)]));
        using var all = new EvaluationSet(data.Features, data.Labels, data.SampleShape, data.Classes, torch.CPU, 256);
        foreach (var solution in solutions)
        {
            var bytes = await client.GetByteArrayAsync($"/api/solutions/{solution.GetProperty("id").GetString()}/checkpoint");
            var path = Path.Combine(Path.GetTempPath(), $"wsw-onnx-{Guid.NewGuid():N}.onnx");
            try
            {
                await File.WriteAllBytesAsync(path, bytes);
                using var onnx = OnnxModel.Load(path, CheckpointReader.Read(path));
                var expected = ((300 * solution.GetProperty("validationAccuracy").GetDouble()) + (1700 * solution.GetProperty("testAccuracy").GetDouble())) / 2000;
                Assert.Equal(expected, onnx.Evaluate(all).Accuracy, 9);
            }
            finally
            {
                File.Delete(path);
            }
        }
        await client.AssertFilesDecompressAsync(solutions, "scalar");
    }
}
