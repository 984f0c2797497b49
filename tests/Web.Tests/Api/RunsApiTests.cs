using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>api.md "Runs": what POST /api/runs accepts and refuses, listing, and the lifecycle of cancel and delete.</summary>
public sealed class RunsApiTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly HttpClient _client = catalog.Client;

    [Fact]
    public async Task PostRun_OnlyIds_Returns202WithTheDefaultCodecsSettingsSpelledOut()
    {
        using var response = await _client.PostRunAsync(new { modelId = catalog.CnnId, datasetId = catalog.FashionMnistId });

        var run = await response.JsonAsync(HttpStatusCode.Accepted);
        var id = run.GetProperty("id").GetString()!;
        await StopAsync(id);
        Assert.Equal($"/api/runs/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(catalog.CnnId, run.GetProperty("modelId").GetString());
        Assert.Equal(catalog.FashionMnistId, run.GetProperty("datasetId").GetString());
        Assert.Contains(run.GetProperty("status").GetString(), new[] { "Queued", "Running" });
        Assert.Equal(100, run.GetProperty("generations").GetInt32());
        var settings = run.GetProperty("settings");
        // The scalar codec is the default; what it leaves open is stored as the values the run uses.
        Assert.Equal("scalar", settings.GetProperty("codec").GetString());
        Assert.Equal("bytes", settings.GetProperty("objective").GetString());
        Assert.Equal(1000, settings.GetProperty("validationSamples").GetInt32());
        Assert.Equal("accuracy", settings.GetProperty("metric").GetString());
        // 2,000 samples, 1,000 for validation: calibration takes half of what is left, the test split the rest.
        Assert.Equal(500, settings.GetProperty("calibration").GetProperty("samples").GetInt32());
        Assert.Equal(100, settings.GetProperty("calibration").GetProperty("steps").GetInt32());
        Assert.Equal(3e-4, settings.GetProperty("calibration").GetProperty("valueLearningRate").GetDouble());
        Assert.Equal(3e-3, settings.GetProperty("calibration").GetProperty("smallLearningRate").GetDouble());
        Assert.Equal("constant", settings.GetProperty("calibration").GetProperty("schedule").GetString());
        Assert.Equal(0.01, settings.GetProperty("calibration").GetProperty("targetLoss").GetDouble());
        Assert.Equal("distillation", settings.GetProperty("calibration").GetProperty("loss").GetString());
        var search = settings.GetProperty("search");
        Assert.Equal(32, search.GetProperty("population").GetInt32());
        Assert.Equal(5, search.GetProperty("patience").GetInt32());
        Assert.Equal(100, search.GetProperty("generations").GetInt32());
        Assert.Equal(2, search.GetProperty("kMin").GetInt32());
        Assert.Equal(1024, search.GetProperty("kMax").GetInt32());
        Assert.Equal(1, search.GetProperty("seed").GetInt32());
        Assert.True(search.GetProperty("racing").GetBoolean());
        var merge = settings.GetProperty("merge");
        Assert.True(merge.GetProperty("enabled").GetBoolean());
        Assert.Equal(0.0, merge.GetProperty("tolerance").GetDouble());
    }

    [Fact]
    public async Task PostRun_MacroF1Metric_KeepsTheGivenSettings()
    {
        using var response = await _client.PostRunAsync(new
        {
            modelId = catalog.CnnId,
            datasetId = catalog.FashionMnistId,
            validationSamples = 500,
            metric = "macroF1",
            search = new { population = 10, generations = 7, kMin = 4, kMax = 32, seed = 9 },
            merge = new { enabled = false, tolerance = 0.01 },
        });

        var run = await response.JsonAsync(HttpStatusCode.Accepted);
        await StopAsync(run.GetProperty("id").GetString()!);
        var settings = run.GetProperty("settings");
        Assert.Equal(500, settings.GetProperty("validationSamples").GetInt32());
        Assert.Equal("macroF1", settings.GetProperty("metric").GetString());
        Assert.Equal(7, run.GetProperty("generations").GetInt32());
        Assert.Equal(10, settings.GetProperty("search").GetProperty("population").GetInt32());
        Assert.Equal(9, settings.GetProperty("search").GetProperty("seed").GetInt32());
        Assert.False(settings.GetProperty("merge").GetProperty("enabled").GetBoolean());
        Assert.Equal(0.01, settings.GetProperty("merge").GetProperty("tolerance").GetDouble());
    }

    [Theory]
    [InlineData("""{"datasetId":"x"}""")]
    [InlineData("""{}""")]
    [InlineData("""null""")]
    public async Task PostRun_MissingIds_Returns400(string body)
    {
        await AssertRefusedAsync(new StringContent(body, Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, "modelId");
    }

    [Fact]
    public async Task PostRun_UnknownModelId_Returns400NamingIt()
    {
        await AssertRefusedAsync(JsonContent.Create(new { modelId = "no-such-model", datasetId = catalog.FashionMnistId }), HttpStatusCode.BadRequest, "no-such-model");
    }

    [Fact]
    public async Task PostRun_UnknownDatasetId_Returns400NamingIt()
    {
        await AssertRefusedAsync(JsonContent.Create(new { modelId = catalog.CnnId, datasetId = "no-such-dataset" }), HttpStatusCode.BadRequest, "no-such-dataset");
    }

    [Theory]
    [InlineData("""{"modelId": "a", "datasetId": "b", "devise": "cuda"}""", "'devise'")]
    [InlineData("""{"modelId": "a", "datasetId": "b", "search": {"generations": 5, "populaton": 8}}""", "'populaton'")]
    public async Task PostRun_UnknownField_Returns400NamingIt(string body, string field)
    {
        await AssertRefusedAsync(new StringContent(body, Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData("""{"modelId": "a", "datasetId": """)]
    [InlineData("""{"modelId": "a", "datasetId": "b", "validationSamples": "many"}""")]
    public async Task PostRun_BadJson_Returns400(string body)
    {
        await AssertRefusedAsync(new StringContent(body, Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, "JSON");
    }

    [Fact]
    public async Task PostRun_UnknownMetric_Returns400NamingTheMetricsThereAre()
    {
        await AssertRefusedAsync(new StringContent("""{"modelId": "a", "datasetId": "b", "metric": "loudness"}""", Encoding.UTF8, "application/json"),
            HttpStatusCode.BadRequest, "metric 'loudness' is not one of: accuracy, macroF1, agreement, outputFidelity, weightSnr.");
    }

    [Theory]
    [InlineData("search")]
    [InlineData("merge")]
    [InlineData("calibration")]
    public async Task PostRun_SettingsObjectNull_Returns400(string field)
    {
        var body = $$"""{"modelId":"{{catalog.CnnId}}","datasetId":"{{catalog.FashionMnistId}}","{{field}}":null}""";

        await AssertRefusedAsync(new StringContent(body, Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, "not set to null");
    }

    [Fact]
    public async Task PostRun_ValidationSamplesNotBelowSamples_Returns400()
    {
        await AssertRefusedAsync(
            JsonContent.Create(new { modelId = catalog.CnnId, datasetId = catalog.FashionMnistId, validationSamples = 2000 }),
            HttpStatusCode.BadRequest, "validationSamples");
    }

    [Fact]
    public async Task PostRun_KMinAboveKMax_Returns400()
    {
        await AssertRefusedAsync(
            JsonContent.Create(new { modelId = catalog.CnnId, datasetId = catalog.FashionMnistId, search = new { kMin = 64, kMax = 8 } }),
            HttpStatusCode.BadRequest, "kM");
    }

    [Fact]
    public async Task PostRun_StateDictModel_Returns400SayingItCannotBeEvaluated()
    {
        await AssertRefusedAsync(
            JsonContent.Create(new { modelId = catalog.StateDictId, datasetId = catalog.FashionMnistId }),
            HttpStatusCode.BadRequest, "TorchScript");
    }

    [Fact]
    public async Task PostRun_CifarDataWithFashionMnistCnn_Returns400BeforeTheRunExists()
    {
        await AssertRefusedAsync(
            JsonContent.Create(ApiClient.TinyRun(catalog.CnnId, catalog.CifarId)),
            HttpStatusCode.BadRequest, null);
    }

    [Fact]
    public async Task PostRun_PlainTextBody_Returns415()
    {
        await AssertRefusedAsync(
            new StringContent($"modelId={catalog.CnnId}&datasetId={catalog.FashionMnistId}", Encoding.UTF8, "text/plain"),
            HttpStatusCode.UnsupportedMediaType, null);
    }

    [Fact]
    public async Task GetRuns_TwoRuns_NewestFirst()
    {
        var first = await _client.StartRunAsync(ApiClient.TinyRun(catalog.CnnId, catalog.FashionMnistId));
        var second = await _client.StartRunAsync(ApiClient.TinyRun(catalog.CnnId, catalog.FashionMnistId));
        await StopAsync(second);
        await StopAsync(first);

        var runs = await _client.GetJsonAsync("/api/runs");

        var ids = runs.EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.True(ids.IndexOf(second) >= 0 && ids.IndexOf(second) < ids.IndexOf(first), $"Expected {second} before {first} in {string.Join(", ", ids)}");
        var created = runs.EnumerateArray().Select(r => r.GetProperty("createdAt").GetDateTime()).ToArray();
        Assert.Equal(created.OrderDescending(), created);
    }

    [Theory]
    [InlineData("GET", "/api/runs/no-such-run")]
    [InlineData("GET", "/api/runs/no-such-run/generations")]
    [InlineData("GET", "/api/runs/no-such-run/solutions")]
    [InlineData("POST", "/api/runs/no-such-run/cancel")]
    [InlineData("POST", "/api/runs/no-such-run/stop")]
    [InlineData("GET", "/api/runs/no-such-run/report.html")]
    [InlineData("PATCH", "/api/runs/no-such-run")]
    [InlineData("DELETE", "/api/runs/no-such-run")]
    [InlineData("GET", "/api/solutions/no-such-solution/compressed")]
    [InlineData("GET", "/api/solutions/no-such-solution/checkpoint")]
    public async Task RunRoute_UnknownId_Returns404Problem(string method, string url)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        var detail = await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("no-such-", detail);
    }

    [Fact]
    public async Task CancelAndDelete_RunningRun_CancelsWithin202ThenDeletesOnlyOnceFinal()
    {
        var id = await _client.StartRunAsync(ApiClient.TinyRun(catalog.CnnId, catalog.FashionMnistId, generations: 200, kMax: 1024));
        await WaitForFirstGenerationAsync(id);

        using var deleteRunning = await _client.DeleteAsync($"/api/runs/{id}");
        await deleteRunning.ProblemAsync(HttpStatusCode.Conflict);

        using var cancel = await _client.PostAsync($"/api/runs/{id}/cancel", null);
        var accepted = await cancel.JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(id, accepted.GetProperty("id").GetString());
        var canceled = await _client.WaitForStatusAsync(id, "Canceled", Patience);
        // A small population exhausts its k range quickly; later generations are all cache hits and the search can
        // reach its last generation before the cancel lands, so cancel may stop the run in the merge phase instead.
        Assert.InRange(canceled.GetProperty("generation").GetInt32(), 1, 200);
        Assert.NotNull(canceled.GetProperty("finishedAt").GetString());

        using var delete = await _client.DeleteAsync($"/api/runs/{id}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var gone = await _client.GetAsync($"/api/runs/{id}");
        await gone.ProblemAsync(HttpStatusCode.NotFound);
        var runs = await _client.GetJsonAsync("/api/runs");
        Assert.DoesNotContain(runs.EnumerateArray(), r => r.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task PostRun_NotesAndCpuDevice_ShownOnTheRunAndNotesChangeByPatch()
    {
        var id = await _client.StartRunAsync(new
        {
            modelId = catalog.CnnId, datasetId = catalog.FashionMnistId, codec = "paper", validationSamples = 300,
            search = new { population = 8, generations = 4, kMin = 2, kMax = 64, seed = 1 },
            notes = "  first try  ", device = "cpu",
        });
        await StopAsync(id);
        var run = await _client.GetJsonAsync($"/api/runs/{id}");
        Assert.Equal("first try", run.GetProperty("notes").GetString());
        Assert.Equal("cpu", run.GetProperty("settings").GetProperty("device").GetString());

        using var patch = await _client.PatchAsync($"/api/runs/{id}", JsonContent.Create(new { notes = "second try" }));
        var patched = await patch.JsonAsync(HttpStatusCode.OK);

        Assert.Equal("second try", patched.GetProperty("notes").GetString());
        Assert.Contains((await _client.GetJsonAsync("/api/runs")).EnumerateArray(), r => r.GetProperty("notes").GetString() == "second try");
    }

    [Theory]
    [InlineData("{\"note\":\"typo\"}", "note")]
    [InlineData("{\"notes\":7}", "notes")]
    [InlineData("{}", "notes")]
    public async Task PatchRun_UnknownOrWrongField_Returns400NamingIt(string json, string mentioned)
    {
        var id = await _client.StartRunAsync(ApiClient.TinyRun(catalog.CnnId, catalog.FashionMnistId));
        await StopAsync(id);

        using var patch = await _client.PatchAsync($"/api/runs/{id}", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Contains(mentioned, await patch.ProblemAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task PatchRun_NotesTooLong_Returns400AndKeepsTheOldNotes()
    {
        var id = await _client.StartRunAsync(ApiClient.TinyRun(catalog.CnnId, catalog.FashionMnistId));
        await StopAsync(id);
        using var first = await _client.PatchAsync($"/api/runs/{id}", JsonContent.Create(new { notes = "kept" }));
        await first.JsonAsync(HttpStatusCode.OK);

        using var patch = await _client.PatchAsync($"/api/runs/{id}", JsonContent.Create(new { notes = new string('x', 2001) }));

        Assert.Contains("at most 2000 characters", await patch.ProblemAsync(HttpStatusCode.BadRequest));
        Assert.Equal("kept", (await _client.GetJsonAsync($"/api/runs/{id}")).GetProperty("notes").GetString());
    }

    [Fact]
    public async Task PostRun_CudaOnAMachineWithout_Returns400AndStoresNothing()
    {
        var body = new
        {
            modelId = catalog.CnnId, datasetId = catalog.FashionMnistId, codec = "paper", validationSamples = 300,
            search = new { population = 8, generations = 4, kMin = 2, kMax = 64, seed = 1 },
            device = "cuda",
        };

        await AssertRefusedAsync(JsonContent.Create(body), HttpStatusCode.BadRequest, "CUDA is not available here");
    }

    [Fact]
    public async Task Stop_RunningRun_Returns202AndTheRunSucceedsWithSolutions()
    {
        var id = await _client.StartRunAsync(ApiClient.TinyRun(catalog.CnnId, catalog.FashionMnistId, generations: 200, kMax: 1024));
        await WaitForFirstGenerationAsync(id);

        using var stop = await _client.PostAsync($"/api/runs/{id}/stop", null);
        var accepted = await stop.JsonAsync(HttpStatusCode.Accepted);

        Assert.True(accepted.GetProperty("stopSearchRequested").GetBoolean());
        var done = await _client.WaitForStatusAsync(id, "Succeeded", Patience);
        Assert.InRange(done.GetProperty("generation").GetInt32(), 1, 199);
        Assert.True((await _client.GetJsonAsync($"/api/runs/{id}/solutions")).GetArrayLength() > 0);
        Assert.True(done.GetProperty("evaluationsPerSecond").GetDouble() > 0);
    }

    [Fact]
    public async Task Cancel_FinishedRun_Returns202AndLeavesItAsItWas()
    {
        var id = await _client.StartRunAsync(ApiClient.TinyRun(catalog.CnnId, catalog.FashionMnistId));
        var stopped = await StopAsync(id);

        using var again = await _client.PostAsync($"/api/runs/{id}/cancel", null);

        var run = await again.JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(stopped.GetProperty("status").GetString(), run.GetProperty("status").GetString());
        Assert.Equal(stopped.GetProperty("finishedAt").GetString(), run.GetProperty("finishedAt").GetString());
    }

    /// <summary>Sends a refused POST /api/runs and checks that no run came of it.</summary>
    private async Task AssertRefusedAsync(HttpContent body, HttpStatusCode status, string? detailMentions)
    {
        var before = (await _client.GetJsonAsync("/api/runs")).GetArrayLength();

        using var response = await _client.PostAsync("/api/runs", body);

        var detail = await response.ProblemAsync(status);
        if (detailMentions is not null)
        {
            Assert.Contains(detailMentions, detail);
        }
        Assert.Equal(before, (await _client.GetJsonAsync("/api/runs")).GetArrayLength());
    }

    private async Task WaitForFirstGenerationAsync(string id)
    {
        var deadline = DateTime.UtcNow + Patience;
        while ((await _client.GetJsonAsync($"/api/runs/{id}/generations")).GetArrayLength() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Run {id} committed no generation within {Patience}.");
            await Task.Delay(100);
        }
    }

    /// <summary>Cancels a run this class started so the single worker is free for the next test, and waits until it is final.</summary>
    private async Task<JsonElement> StopAsync(string id)
    {
        using var cancel = await _client.PostAsync($"/api/runs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        return await _client.WaitForRunAsync(id, ApiClient.IsFinal, Patience);
    }
}
