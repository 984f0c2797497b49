using System.Net;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>
/// The additive codec (arXiv 2111.10320) through the API like any other: its genes on the front, a fine-tuned
/// solution, and .wsz files that decompress to the checkpoints offered.
/// </summary>
public sealed class AdditiveRunApiTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Run_AdditiveCodecSmallSettings_ItsGenesOnTheFrontAFineTunedSolutionAndFilesThatMatch()
    {
        // Arrange
        var client = catalog.Client;

        // Act: a small search and a short fine-tuning of one point.
        var runId = await client.StartRunAsync(new
        {
            modelId = catalog.CnnId,
            datasetId = catalog.FashionMnistId,
            codec = "additive",
            codecOptions = new Dictionary<string, string> { ["beam"] = "2" },
            validationSamples = 300,
            search = new { population = 6, generations = 2, seed = 4 },
            calibration = new { samples = 400, steps = 30, budget = 1, targetLoss = 0.01 },
        });
        var run = await client.WaitForStatusAsync(runId, "Succeeded", Patience);

        // Assert: the run used the codec's defaults where it left them open.
        var settings = run.GetProperty("settings");
        Assert.Equal("additive", settings.GetProperty("codec").GetString());
        Assert.Equal("bytes", settings.GetProperty("objective").GetString());

        // The front's points carry their file size and the codec's genes by name.
        var generations = await client.GetJsonAsync($"/api/runs/{runId}/generations");
        var front = generations.EnumerateArray().Last().GetProperty("front").EnumerateArray().ToList();
        Assert.All(front, p =>
        {
            Assert.True(p.GetProperty("bytes").GetInt64() > 1000);
            var parameters = p.GetProperty("parameters");
            Assert.InRange(parameters.GetProperty("d").GetInt32(), 2, 16);
            Assert.InRange(parameters.GetProperty("m").GetInt32(), 1, 4);
            Assert.InRange(parameters.GetProperty("bits").GetInt32(), 1, 8);
        });

        // One point was fine-tuned (budget 1); every solution's .wsz decompresses to its checkpoint.
        var solutions = (await client.GetJsonAsync($"/api/runs/{runId}/solutions")).EnumerateArray().ToList();
        var tuned = Assert.Single(solutions, s => s.GetProperty("merged").GetBoolean());
        Assert.EndsWith("fine-tuned", tuned.GetProperty("description").GetString(), StringComparison.Ordinal);
        await client.AssertFilesDecompressAsync(solutions, "additive");
    }

    [Fact]
    public async Task Cancel_DuringTheFineTuning_RunEndsCanceledInTheRefinePhase()
    {
        // Arrange: a fine-tuning far longer than the test waits.
        var client = catalog.Client;
        var runId = await client.StartRunAsync(new
        {
            modelId = catalog.CnnId,
            datasetId = catalog.FashionMnistId,
            codec = "additive",
            codecOptions = new Dictionary<string, string> { ["beam"] = "1", ["rounds"] = "0" },
            validationSamples = 300,
            search = new { population = 4, generations = 1, seed = 4 },
            calibration = new { samples = 400, steps = 100000, budget = 1 },
        });
        await client.WaitForRunAsync(runId, r => r.GetProperty("phase").GetString() == "Refine", Patience);

        // Act
        using var cancel = await client.PostAsync($"/api/runs/{runId}/cancel", null);

        // Assert: the fine-tuning stops between two steps; nothing of the point being tuned is kept.
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var canceled = await client.WaitForStatusAsync(runId, "Canceled", TimeSpan.FromMinutes(1));
        Assert.Equal("Refine", canceled.GetProperty("phase").GetString());
        var solutions = (await client.GetJsonAsync($"/api/runs/{runId}/solutions")).EnumerateArray().ToList();
        Assert.DoesNotContain(solutions, s => s.GetProperty("merged").GetBoolean());
    }

    [Theory]
    [InlineData("{\"beam\":\"0\"}", "beam: 1 to 16")]
    [InlineData("{\"coder\":\"huffman\"}", "The additive codec's option coder = huffman is not one it takes")]
    public async Task PostRun_AdditiveOptionItDoesNotTake_Returns400SayingWhatItTakes(string options, string expected)
    {
        var body = $$"""{"modelId":"{{catalog.CnnId}}","datasetId":"{{catalog.FashionMnistId}}","codec":"additive","codecOptions":{{options}}}""";

        using var response = await catalog.Client.PostAsync("/api/runs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Contains(expected, await response.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }
}
