using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace WeightShare.LoadTest;

/// <summary>
/// The set-up and the checks, over the HTTP API of docs/api.md: uploads of the fixtures, the runs, their fronts. Not
/// timed: the load's own requests go through <see cref="LatencyRecorder"/>.
/// </summary>
public sealed class ApiClient(Uri address) : IDisposable
{
    private const string FashionMnistPreprocessing = """{"scale":0.00392156862745098,"mean":[0.286],"std":[0.353]}""";
    private readonly HttpClient _http = new() { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };

    public async Task<string> UploadModelAsync(string path, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent { { FileContent(path), "file", Path.GetFileName(path) } };
        return await CreateAsync("/api/models", form, cancellationToken);
    }

    public async Task<string> UploadDatasetAsync(string images, string labels, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent
        {
            { FileContent(images), "file", Path.GetFileName(images) },
            { FileContent(labels), "file", Path.GetFileName(labels) },
            { new StringContent(FashionMnistPreprocessing), "preprocessing" },
        };
        return await CreateAsync("/api/datasets", form, cancellationToken);
    }

    public async Task<string> StartRunAsync(RunPlan plan, string modelId, string datasetId, CancellationToken cancellationToken)
    {
        using var answer = await _http.PostAsJsonAsync("/api/runs", plan.Body(modelId, datasetId), cancellationToken);
        return (await ReadAsync(answer, HttpStatusCode.Accepted, cancellationToken)).GetProperty("id").GetString()!;
    }

    /// <summary>Polls the run until it is final (or <paramref name="timeout"/> passes) and reads its front.</summary>
    public async Task<RunFront> WaitForFrontAsync(string runId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var run = await GetAsync($"/api/runs/{runId}", cancellationToken);
            var status = run.GetProperty("status").GetString();
            if (status is "Succeeded" or "Failed" or "Canceled" || DateTime.UtcNow > deadline)
            {
                return RunFront.Of(run, await GetAsync($"/api/runs/{runId}/solutions", cancellationToken), await GetAsync($"/api/runs/{runId}/generations", cancellationToken));
            }
            await Task.Delay(500, cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A file as an upload part; read from disk each time, as a browser or curl sends it.</summary>
    public static StreamContent FileContent(string path)
    {
        var content = new StreamContent(File.OpenRead(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private async Task<string> CreateAsync(string path, MultipartFormDataContent form, CancellationToken cancellationToken)
    {
        using var answer = await _http.PostAsync(new Uri(path, UriKind.Relative), form, cancellationToken);
        return (await ReadAsync(answer, HttpStatusCode.Created, cancellationToken)).GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var answer = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        return await ReadAsync(answer, HttpStatusCode.OK, cancellationToken);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage answer, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        var body = await answer.Content.ReadAsStringAsync(cancellationToken);
        if (answer.StatusCode != expected)
        {
            throw new InvalidOperationException($"{answer.RequestMessage?.Method} {answer.RequestMessage?.RequestUri} answered {(int)answer.StatusCode}, not {(int)expected}: {body}");
        }
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}
