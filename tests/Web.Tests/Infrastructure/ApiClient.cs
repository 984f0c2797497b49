using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>The calls a user's script makes, read as raw JSON so the tests see api.md's names, not the server's types.</summary>
public static class ApiClient
{
    public static MultipartFormDataContent Form(IEnumerable<(string FileName, byte[] Content)> files, string? preprocessing = null)
    {
        var form = new MultipartFormDataContent();
        foreach (var (fileName, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", fileName);
        }
        if (preprocessing is not null)
        {
            form.Add(new StringContent(preprocessing), "preprocessing");
        }
        return form;
    }

    public static Task<HttpResponseMessage> PostFileAsync(this HttpClient client, string url, string fileName, byte[] content) =>
        client.PostAsync(url, Form([(fileName, content)]));

    public static Task<HttpResponseMessage> PostFixtureAsync(this HttpClient client, string url, string fixture) =>
        client.PostFileAsync(url, fixture, Fixtures.Bytes(fixture));

    public static Task<HttpResponseMessage> PostFashionMnistAsync(this HttpClient client, string? preprocessing = Fixtures.FashionMnistPreprocessing) =>
        client.PostAsync("/api/datasets", Form(
            [(Fixtures.Images, Fixtures.Bytes(Fixtures.Images)), (Fixtures.Labels, Fixtures.Bytes(Fixtures.Labels))], preprocessing));

    /// <summary>Uploads a fixture model and returns its id; anything but 201 fails the test.</summary>
    public static async Task<string> UploadModelAsync(this HttpClient client, string fixture = Fixtures.Cnn)
    {
        using var response = await client.PostFixtureAsync("/api/models", fixture);
        return (await response.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    /// <summary>Uploads the Fashion-MNIST IDX pair with its preprocessing and returns the dataset id.</summary>
    public static async Task<string> UploadFashionMnistAsync(this HttpClient client)
    {
        using var response = await client.PostFashionMnistAsync();
        return (await response.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Settings of a paper-codec run that finishes in seconds on the fixture CNN: the API, hub and store mechanics these
    /// tests check (every front point a solution, merge steps) are the paper codec's. The scalar codec, the default
    /// for new runs, has tests of its own.
    /// </summary>
    public static object TinyRun(string modelId, string datasetId, int generations = 4, int kMax = 64) => new
    {
        modelId,
        datasetId,
        codec = "paper",
        validationSamples = 300,
        search = new { population = 8, generations, kMin = 2, kMax, seed = 1 },
    };

    public static Task<HttpResponseMessage> PostRunAsync(this HttpClient client, object body) =>
        client.PostAsJsonAsync("/api/runs", body);

    /// <summary>Starts a run and returns its id; anything but 202 fails the test.</summary>
    public static async Task<string> StartRunAsync(this HttpClient client, object body)
    {
        using var response = await client.PostRunAsync(body);
        return (await response.JsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
    }

    /// <summary>GETs a URL that must answer 200 with JSON.</summary>
    /// <summary>
    /// Asserts, for every solution, that its .wsz is a version 2 file of <paramref name="codec"/> as large as the
    /// solution says and that /api/decompress rebuilds exactly the checkpoint it offers.
    /// </summary>
    public static async Task AssertFilesDecompressAsync(this HttpClient client, IEnumerable<JsonElement> solutions, string codec)
    {
        foreach (var solution in solutions)
        {
            Assert.Equal(codec, solution.GetProperty("codec").GetString());
            var id = solution.GetProperty("id").GetString();
            var wsz = await client.GetByteArrayAsync($"/api/solutions/{id}/compressed");
            Assert.Equal(solution.GetProperty("compressedBytes").GetInt64(), wsz.LongLength);
            Assert.Equal(2, BitConverter.ToUInt16(wsz, 4));
            var checkpoint = await client.GetByteArrayAsync($"/api/solutions/{id}/checkpoint");
            using var decompressed = await client.PostFileAsync("/api/decompress", "s.wsz", wsz);
            Assert.Equal(HttpStatusCode.OK, decompressed.StatusCode);
            Assert.Equal(checkpoint, await decompressed.Content.ReadAsByteArrayAsync());
        }
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return await response.JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>Asserts the status and returns the body as JSON.</summary>
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        AssertStatus(response, expected, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }

    /// <summary>Asserts an RFC 7807 answer with the status and a detail, and returns the detail.</summary>
    public static async Task<string> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        AssertStatus(response, expected, body);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal((int)expected, json.RootElement.GetProperty("status").GetInt32());
        var detail = json.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
        Assert.False(string.IsNullOrWhiteSpace(detail), $"The problem has no detail: {body}");
        return detail!;
    }

    /// <summary>Fails unless the status is <paramref name="expected"/>, quoting the body and any server error behind it.</summary>
    private static void AssertStatus(HttpResponseMessage response, HttpStatusCode expected, string body)
    {
        if (response.StatusCode != expected)
        {
            Assert.Fail($"Expected HTTP {(int)expected}, got {(int)response.StatusCode}: {body}{Environment.NewLine}{ServerErrors.For(body)}");
        }
    }

    /// <summary>Polls GET /api/runs/{id} until <paramref name="done"/> holds; fails with the last answer when time runs out.</summary>
    public static async Task<JsonElement> WaitForRunAsync(this HttpClient client, string runId, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var run = await client.GetJsonAsync($"/api/runs/{runId}");
            if (done(run))
            {
                return run;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Run {runId} did not get there within {timeout}: {run}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Waits for a status (or any final one) and asserts it is the one expected.</summary>
    public static async Task<JsonElement> WaitForStatusAsync(this HttpClient client, string runId, string status, TimeSpan timeout)
    {
        var run = await client.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == status || IsFinal(r), timeout);
        Assert.True(run.GetProperty("status").GetString() == status, $"Run {runId} ended otherwise than {status}: {run}");
        return run;
    }

    public static bool IsFinal(JsonElement run) => run.GetProperty("status").GetString() is "Succeeded" or "Failed" or "Canceled";
}
