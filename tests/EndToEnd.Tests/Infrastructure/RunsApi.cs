using WeightShare.Engine.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeightShare.Engine.Datasets;
using WeightShare.Jobs.Runs;

namespace WeightShare.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The public HTTP API (shared/api.md), used to set up runs that a test then watches in the browser, and to check
/// the pages against what the server says.
/// </summary>
public sealed class RunsApi(HttpClient http)
{
    public static readonly string[] FinalStatuses = ["Succeeded", "Failed", "Canceled"];

    /// <summary>POST /api/models; answers the status and the body, whatever they are.</summary>
    public async Task<(int Status, JsonObject Body)> PostModelAsync(string path)
    {
        using var form = new MultipartFormDataContent();
        form.Add(FileContent(path), "file", Path.GetFileName(path));
        using var response = await http.PostAsync("api/models", form);
        return ((int)response.StatusCode, await ReadObjectAsync(response));
    }

    public async Task<string> UploadModelAsync(string path)
    {
        var (status, body) = await PostModelAsync(path);
        Assert.True(status == 201, $"POST /api/models answered {status}: {body.ToJsonString()}");
        return Id(body);
    }

    public async Task<string> UploadDatasetAsync(Preprocessing preprocessing, params string[] paths)
    {
        using var form = new MultipartFormDataContent();
        foreach (var path in paths)
        {
            form.Add(FileContent(path), "file", Path.GetFileName(path));
        }
        form.Add(new StringContent(JsonSerializer.Serialize(preprocessing, RunSettings.Json)), "preprocessing");
        using var response = await http.PostAsync("api/datasets", form);
        var body = await ReadObjectAsync(response);
        Assert.True((int)response.StatusCode == 201, $"POST /api/datasets answered {(int)response.StatusCode}: {body.ToJsonString()}");
        return Id(body);
    }

    /// <summary>
    /// Uploads the fixture CNN and the Fashion-MNIST IDX pair and starts a run of the given size: by default a
    /// paper-codec run (every generation runs, so its length is known in advance).
    /// </summary>
    /// <param name="population">NSGA-II's population.</param>
    /// <param name="generations">The search's generations.</param>
    /// <param name="kMax">The largest k.</param>
    /// <param name="validationSamples">Samples scoring the search.</param>
    /// <param name="kMin">The smallest k.</param>
    /// <param name="patience">The early stop (null: the codec's, which for the paper codec is off).</param>
    /// <param name="merge">Whether front points are merged after the search.</param>
    /// <param name="codec">The codec.</param>
    /// <param name="calibrationSamples">Samples calibrating front points (null: the codec's; 0: no calibration).</param>
    public async Task<string> StartCnnRunAsync(int population, int generations, int kMax, int validationSamples = 300, int kMin = 2, int? patience = null, bool merge = true, string codec = "paper", int? calibrationSamples = null)
    {
        var model = await UploadModelAsync(FixtureFiles.CnnModel);
        var dataset = await UploadDatasetAsync(Preprocessing.FashionMnist, FixtureFiles.Images, FixtureFiles.Labels);
        using var response = await http.PostAsJsonAsync("api/runs", new
        {
            modelId = model,
            datasetId = dataset,
            codec,
            validationSamples,
            search = new { population, generations, kMin, kMax, seed = 1, patience },
            merge = new { enabled = merge },
            calibration = new { samples = calibrationSamples },
        });
        var body = await ReadObjectAsync(response);
        Assert.True((int)response.StatusCode == 202, $"POST /api/runs answered {(int)response.StatusCode}: {body.ToJsonString()}");
        return Id(body);
    }

    public async Task<JsonObject> RunAsync(string id) =>
        (await http.GetFromJsonAsync<JsonObject>($"api/runs/{id}")) ?? throw new InvalidOperationException($"GET /api/runs/{id} answered null.");

    public async Task<JsonArray> GenerationsAsync(string id) =>
        (await http.GetFromJsonAsync<JsonArray>($"api/runs/{id}/generations")) ?? throw new InvalidOperationException($"GET /api/runs/{id}/generations answered null.");

    public async Task<JsonArray> SolutionsAsync(string id) =>
        (await http.GetFromJsonAsync<JsonArray>($"api/runs/{id}/solutions")) ?? throw new InvalidOperationException($"GET /api/runs/{id}/solutions answered null.");

    /// <summary>Polls GET /api/runs/{id} until its status is one of <paramref name="statuses"/>; fails on timeout.</summary>
    public async Task<JsonObject> WaitForStatusAsync(string id, TimeSpan timeout, params string[] statuses)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var run = await RunAsync(id);
            if (statuses.Contains((string?)run["status"]))
            {
                return run;
            }
            if (cancel.IsCancellationRequested)
            {
                throw new Xunit.Sdk.XunitException($"Run {id} did not reach {string.Join(" or ", statuses)} within {timeout}: {run.ToJsonString()}");
            }
            await Task.Delay(200);
        }
    }

    private static StreamContent FileContent(string path)
    {
        var content = new StreamContent(File.OpenRead(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject ?? [];

    private static string Id(JsonObject body) => (string?)body["id"] ?? throw new InvalidOperationException($"No id in {body.ToJsonString()}.");
}
