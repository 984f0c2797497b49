using System.Net;
using System.Text.Json;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>
/// The scalar codec, the default for new runs, through the API: its search speaks bytes, its refinement calibrates,
/// and its .wsz (version 2, rANS, Brotli residual) decompresses to the very checkpoint it offers.
/// </summary>
public sealed class ScalarRunApiTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Run_DefaultCodecSmallSettings_BytesOnTheFrontACalibratedSolutionAndFilesThatMatch()
    {
        // Arrange
        var client = catalog.Client;

        // Act: no codec named; a small search and a short calibration of one point.
        var runId = await client.StartRunAsync(new
        {
            modelId = catalog.CnnId,
            datasetId = catalog.FashionMnistId,
            validationSamples = 300,
            search = new { population = 8, generations = 3, kMin = 6, kMax = 40, seed = 1 },
            calibration = new { samples = 500, steps = 30, budget = 1, targetLoss = 0.01 },
        });
        var run = await client.WaitForStatusAsync(runId, "Succeeded", Patience);

        // Assert: the run is the scalar codec's and says what it used.
        var settings = run.GetProperty("settings");
        Assert.Equal("scalar", settings.GetProperty("codec").GetString());
        Assert.Equal("bytes", settings.GetProperty("objective").GetString());

        // The front's points carry their file size, and the codec's genes by name.
        var generations = await client.GetJsonAsync($"/api/runs/{runId}/generations");
        var front = generations.EnumerateArray().Last().GetProperty("front").EnumerateArray().ToList();
        Assert.All(front, p =>
        {
            Assert.True(p.GetProperty("bytes").GetInt64() > 1000);
            Assert.InRange(p.GetProperty("parameters").GetProperty("k").GetInt32(), 6, 40);
            Assert.True(p.GetProperty("parameters").TryGetProperty("zero", out _));
        });

        // One point was calibrated (budget 1); every solution's .wsz decompresses to its checkpoint.
        var solutions = (await client.GetJsonAsync($"/api/runs/{runId}/solutions")).EnumerateArray().ToList();
        var calibrated = Assert.Single(solutions, s => s.GetProperty("merged").GetBoolean());
        Assert.EndsWith("calibrated", calibrated.GetProperty("description").GetString(), StringComparison.Ordinal);
        await client.AssertFilesDecompressAsync(solutions, "scalar");
    }

    [Fact]
    public async Task Run_DebugTablesDropped_CheckpointWithoutThemThatTheWszRebuilds()
    {
        // Act: the option the new-run page's switch sends; no calibration, to keep the run short.
        var runId = await catalog.Client.StartRunAsync(new
        {
            modelId = catalog.CnnId,
            datasetId = catalog.FashionMnistId,
            validationSamples = 300,
            codecOptions = new Dictionary<string, string> { ["debug"] = "drop" },
            search = new { population = 4, generations = 1, kMin = 6, kMax = 40, seed = 1 },
            calibration = new { budget = 0 },
        });
        var run = await catalog.Client.WaitForStatusAsync(runId, "Succeeded", Patience);

        // Assert: the run records the option; every checkpoint lacks the debug tables and is what its .wsz rebuilds.
        Assert.Equal("drop", run.GetProperty("settings").GetProperty("codecOptions").GetProperty("debug").GetString());
        var solutions = (await catalog.Client.GetJsonAsync($"/api/runs/{runId}/solutions")).EnumerateArray().ToList();
        Assert.NotEmpty(solutions);
        foreach (var solution in solutions)
        {
            var id = solution.GetProperty("id").GetString();
            var checkpoint = await catalog.Client.GetByteArrayAsync($"/api/solutions/{id}/checkpoint");
            using (var archive = new System.IO.Compression.ZipArchive(new MemoryStream(checkpoint)))
            {
                Assert.Contains(archive.Entries, e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal));
                Assert.DoesNotContain(archive.Entries, e => e.FullName.EndsWith(".debug_pkl", StringComparison.Ordinal));
            }
            var wsz = await catalog.Client.GetByteArrayAsync($"/api/solutions/{id}/compressed");
            using var decompressed = await catalog.Client.PostFileAsync("/api/decompress", "s.wsz", wsz);
            Assert.Equal(checkpoint, await decompressed.Content.ReadAsByteArrayAsync());
        }
    }

    [Theory]
    [InlineData("""{"coder":"zip"}""", "rans, huffman or context")]
    [InlineData("""{"zero":"maybe"}""", "on or off")]
    public async Task PostRun_UnknownCodecOption_Returns400SayingWhatTheCodecTakes(string options, string expected)
    {
        var body = $$"""{"modelId":"{{catalog.CnnId}}","datasetId":"{{catalog.FashionMnistId}}","codecOptions":{{options}}}""";

        using var response = await catalog.Client.PostAsync("/api/runs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Contains(expected, await response.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostRun_CalibrationSamplesLeavingNoTestSplit_Returns400()
    {
        using var response = await catalog.Client.PostRunAsync(new
        {
            modelId = catalog.CnnId,
            datasetId = catalog.FashionMnistId,
            validationSamples = 1000,
            calibration = new { samples = 1000 },
        });

        Assert.Contains("calibration.samples is 1000", await response.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }
}
