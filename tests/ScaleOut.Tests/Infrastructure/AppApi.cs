using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace WeightShare.ScaleOut.Tests.Infrastructure;

/// <summary>What a user's script does over the HTTP API of one web process, read as raw JSON.</summary>
public sealed class AppApi(Uri address) : IDisposable
{
    private const string FashionMnistPreprocessing = """{"scale":0.00392156862745098,"mean":[0.286],"std":[0.353]}""";
    private readonly HttpClient _http = new() { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };

    public Uri Address => address;

    /// <summary>Uploads the fixture CNN and the Fashion-MNIST pair; the model and dataset ids.</summary>
    public async Task<(string Model, string Dataset)> UploadFixturesAsync()
    {
        using var model = new MultipartFormDataContent { { File("fmnist_cnn.pt"), "file", "fmnist_cnn.pt" } };
        using var modelAnswer = await _http.PostAsync("/api/models", model);
        var modelId = (await ReadAsync(modelAnswer, 201)).GetProperty("id").GetString()!;
        using var data = new MultipartFormDataContent
        {
            { File("eval-images-idx3-ubyte.gz"), "file", "eval-images-idx3-ubyte.gz" },
            { File("eval-labels-idx1-ubyte.gz"), "file", "eval-labels-idx1-ubyte.gz" },
            { new StringContent(FashionMnistPreprocessing), "preprocessing" },
        };
        using var dataAnswer = await _http.PostAsync("/api/datasets", data);
        return (modelId, (await ReadAsync(dataAnswer, 201)).GetProperty("id").GetString()!);
    }

    /// <summary>Starts a paper-codec run (every generation runs: no early stop) and returns its id.</summary>
    public async Task<string> StartRunAsync(string model, string dataset, int generations, int kMax, int seed = 1)
    {
        using var answer = await _http.PostAsJsonAsync("/api/runs", new
        {
            modelId = model,
            datasetId = dataset,
            codec = "paper",
            validationSamples = 300,
            search = new { population = 8, generations, kMin = 2, kMax, seed },
        });
        return (await ReadAsync(answer, 202)).GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> RunAsync(string id) => await GetAsync($"/api/runs/{id}");

    public async Task<JsonElement> SolutionsAsync(string id) => await GetAsync($"/api/runs/{id}/solutions");

    public async Task<JsonElement> GenerationsAsync(string id) => await GetAsync($"/api/runs/{id}/generations");

    /// <summary>Polls the run until <paramref name="done"/> holds; fails with the run's state on timeout or on a final status that does not satisfy it.</summary>
    public async Task<JsonElement> WaitForAsync(string id, Func<JsonElement, bool> done, TimeSpan timeout, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var run = await RunAsync(id);
            if (done(run))
            {
                return run;
            }
            var status = run.GetProperty("status").GetString();
            Assert.False(status is "Failed" or "Canceled", $"Run {id} ended {status}: {run}\n{context?.Invoke()}");
            Assert.True(DateTime.UtcNow < deadline, $"Run {id} did not get there within {timeout}: {run}\n{context?.Invoke()}");
            await Task.Delay(250);
        }
    }

    public static bool Succeeded(JsonElement run) => run.GetProperty("status").GetString() == "Succeeded";

    /// <summary>A run's result as a comparable text: every solution's figures and files' sizes, and the last front.</summary>
    public async Task<string> ResultAsync(string id)
    {
        var solutions = (await SolutionsAsync(id)).EnumerateArray()
            .Select(s => $"{s.GetProperty("description").GetString()} val {s.GetProperty("validationMetric").GetDouble():R} test {s.GetProperty("testAccuracy").GetDouble():R} bytes {s.GetProperty("compressedBytes").GetInt64()}");
        var generations = (await GenerationsAsync(id)).EnumerateArray().ToArray();
        var front = generations[^1].GetProperty("front").EnumerateArray()
            .Select(p => $"{p.GetProperty("parameters")} values {p.GetProperty("sharedValues")} val {p.GetProperty("validationMetric").GetDouble():R}");
        return $"generations {generations.Length}\n" + string.Join("\n", solutions) + "\nfront:\n" + string.Join("\n", front);
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> GetAsync(string path)
    {
        using var answer = await _http.GetAsync(path);
        return await ReadAsync(answer, 200);
    }

    private static ByteArrayContent File(string name)
    {
        var content = new ByteArrayContent(System.IO.File.ReadAllBytes(AppBuild.Fixture(name)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage answer, int expected)
    {
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True((int)answer.StatusCode == expected, $"{answer.RequestMessage?.Method} {answer.RequestMessage?.RequestUri} answered {(int)answer.StatusCode}, not {expected}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
