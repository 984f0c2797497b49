using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Tensors;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>
/// Data-free runs through the API: a weight-only checkpoint (a state_dict, a float16 safetensors file) and no dataset;
/// the metric is the weights' signal-to-noise ratio, and the downloads are the .wsz and a checkpoint in the uploaded
/// format and dtype.
/// </summary>
public sealed class DataFreeRunApiTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData(Fixtures.CnnStateDict, CheckpointFormat.PyTorch, TensorDType.Float32)]
    [InlineData(Fixtures.CnnHalfSafetensors, CheckpointFormat.Safetensors, TensorDType.Float16)]
    public async Task Run_WeightOnlyCheckpointWithoutDataset_SucceedsMeasuringTheWeightsSnr(string fixture, CheckpointFormat format, TensorDType dtype)
    {
        // Arrange
        var client = catalog.Client;
        var modelId = await client.UploadModelAsync(fixture);

        // Act: no datasetId, no metric: the run is data-free.
        var runId = await client.StartRunAsync(new { modelId, search = new { population = 8, generations = 3, kMin = 4, kMax = 64, seed = 2 } });
        var run = await client.WaitForStatusAsync(runId, "Succeeded", Patience);

        // Assert: the run says what it measured; the baseline is lossless (100 dB).
        Assert.True(run.GetProperty("dataFree").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, run.GetProperty("datasetId").ValueKind);
        Assert.Equal("weightSnr", run.GetProperty("settings").GetProperty("metric").GetString());
        Assert.Equal(1.0, run.GetProperty("baseline").GetProperty("testAccuracy").GetDouble());
        var solutions = (await client.GetJsonAsync($"/api/runs/{runId}/solutions")).EnumerateArray().ToList();
        Assert.NotEmpty(solutions);
        foreach (var solution in solutions)
        {
            var decibels = solution.GetProperty("snrDb").GetDouble();
            Assert.InRange(decibels, 0, 100);
            Assert.Equal(decibels, 100 * solution.GetProperty("testAccuracy").GetDouble(), 9);
            Assert.True(solution.GetProperty("fileCompressionRatio").GetDouble() > 1);

            // The checkpoint is in the uploaded format, its shared tensors in the uploaded dtype.
            var checkpoint = await client.GetByteArrayAsync($"/api/solutions/{solution.GetProperty("id").GetString()}/checkpoint");
            var path = Path.Combine(Path.GetTempPath(), $"wsw-datafree-{Guid.NewGuid():N}{Path.GetExtension(fixture)}");
            try
            {
                await File.WriteAllBytesAsync(path, checkpoint);
                var layout = CheckpointReader.Read(path);
                Assert.Equal(format, layout.Format);
                Assert.Equal(dtype, layout.Tensors.Single(t => t.Name == "fc1.weight").DType);
            }
            finally
            {
                File.Delete(path);
            }
        }
        // More dB costs more bytes along the front; every .wsz rebuilds its checkpoint.
        var bySize = solutions.OrderBy(s => s.GetProperty("compressedBytes").GetInt64()).Select(s => s.GetProperty("snrDb").GetDouble()).ToList();
        Assert.True(bySize[^1] > bySize[0], string.Join(", ", bySize));
        await client.AssertFilesDecompressAsync(solutions, "scalar");

        // The exports speak dB too: the report's table and the CSV's snrDb column.
        var report = await client.GetStringAsync($"/api/runs/{runId}/report.html");
        Assert.Contains("weight SNR in dB (data-free", report, StringComparison.Ordinal);
        Assert.Contains("Area: (1 − dB/100) ×", System.Net.WebUtility.HtmlDecode(report), StringComparison.Ordinal);
        Assert.DoesNotContain("error", report, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{bySize[0]:0.0} dB"), report, StringComparison.Ordinal);
        var csv = (await client.GetStringAsync($"/api/runs/{runId}/solutions.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Counted from the end (the description before it may hold quoted commas): six interval columns follow it.
        const int snrFromEnd = 7;
        Assert.Equal("snrDb", csv[0].Trim().Split(',')[^snrFromEnd]);
        Assert.All(csv.Skip(1), line => Assert.InRange(double.Parse(line.Trim().Split(',')[^snrFromEnd], CultureInfo.InvariantCulture), 0, 100));
    }

    [Fact]
    public async Task PostRun_AccuracyWithoutDataset_Returns400NamingWeightSnr()
    {
        using var response = await catalog.Client.PostAsJsonAsync("/api/runs", new { modelId = catalog.StateDictId, metric = "accuracy" });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("weightSnr", problem, StringComparison.Ordinal);
        Assert.Contains("datasetId", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostRun_WeightSnrWithDataset_Returns400SayingToLeaveTheDatasetOut()
    {
        using var response = await catalog.Client.PostAsJsonAsync("/api/runs", new { modelId = catalog.CnnId, datasetId = catalog.FashionMnistId, metric = "weightSnr" });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("leave the dataset out", problem, StringComparison.Ordinal);
    }
}
