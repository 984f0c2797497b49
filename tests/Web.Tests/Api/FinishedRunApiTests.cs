using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using WeightShare.Tests.Support;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>api.md on a run that has finished: its figures, generations, solutions, downloads and the decompressor.</summary>
[Collection(FinishedRunCollection.Name)]
public sealed class FinishedRunApiTests(FinishedRunFixture run)
{
    private const int Generations = 4;
    private const int Population = 8;
    private readonly HttpClient _client = run.Client;
    private readonly long _modelBytes = new FileInfo(Fixtures.PathOf(Fixtures.Cnn)).Length;

    [Fact]
    public async Task GetRun_Succeeded_HasEveryRunInfoField()
    {
        var info = await _client.GetJsonAsync($"/api/runs/{run.RunId}");

        Assert.Equal(run.RunId, info.GetProperty("id").GetString());
        Assert.Equal(run.ModelId, info.GetProperty("modelId").GetString());
        Assert.Equal(run.DatasetId, info.GetProperty("datasetId").GetString());
        Assert.Equal("Succeeded", info.GetProperty("status").GetString());
        Assert.Equal(Generations, info.GetProperty("generation").GetInt32());
        Assert.Equal(Generations, info.GetProperty("generations").GetInt32());
        Assert.InRange(info.GetProperty("evaluations").GetInt32(), 1, Population * Generations);
        Assert.True(info.GetProperty("cacheHits").GetInt32() >= 0);
        Assert.Equal(JsonValueKind.Null, info.GetProperty("error").ValueKind);
        // make_fixtures.py measured 90.1 % on the 2000 images with PyTorch; both splits are samples of them.
        var baseline = info.GetProperty("baseline");
        Assert.InRange(baseline.GetProperty("validationAccuracy").GetDouble(), 0.85, 0.95);
        Assert.InRange(baseline.GetProperty("testAccuracy").GetDouble(), 0.85, 0.95);
        Assert.Equal(_modelBytes, baseline.GetProperty("sizeBytes").GetInt64());
        var created = info.GetProperty("createdAt").GetDateTime();
        var started = info.GetProperty("startedAt").GetDateTime();
        var finished = info.GetProperty("finishedAt").GetDateTime();
        Assert.True(created <= started && started <= finished, $"createdAt {created:O}, startedAt {started:O}, finishedAt {finished:O}");
        var settings = info.GetProperty("settings");
        Assert.Equal(300, settings.GetProperty("validationSamples").GetInt32());
        Assert.Equal(64, settings.GetProperty("search").GetProperty("kMax").GetInt32());
        var timings = info.GetProperty("timings");
        foreach (var phase in new[] { "baselineSeconds", "searchSeconds", "refineSeconds", "finishSeconds" })
        {
            Assert.True(timings.GetProperty(phase).GetDouble() >= 0, phase);
        }
        Assert.True(timings.GetProperty("searchSeconds").GetDouble() > 0);
    }

    [Fact]
    public async Task GetSolutions_Succeeded_CarryLossIntervalsAndTheRecommendationFollowsTheValidationRule()
    {
        var info = await _client.GetJsonAsync($"/api/runs/{run.RunId}");
        var baseline = info.GetProperty("baseline");

        var solutions = (await _client.GetJsonAsync($"/api/runs/{run.RunId}/solutions")).EnumerateArray().ToArray();

        // Every finished solution of an accuracy run: the loss against the uploaded model within its own interval, on
        // each split the difference of accuracies, since both models are scored on the same samples.
        foreach (var solution in solutions)
        {
            foreach (var (split, figure) in new[] { ("validation", "validationAccuracy"), ("test", "testAccuracy") })
            {
                var loss = solution.GetProperty(split + "Loss");
                var (value, lower, upper) = (loss.GetProperty("loss").GetDouble(), loss.GetProperty("lower").GetDouble(), loss.GetProperty("upper").GetDouble());
                Assert.True(lower <= value && value <= upper, $"{split} loss {value} outside [{lower}, {upper}]");
                Assert.Equal(baseline.GetProperty(figure).GetDouble() - solution.GetProperty(figure).GetDouble(), value, 9);
            }
        }
        // The recommendation: the smallest .wsz whose validation upper end is within the run's target loss, or none.
        var tolerance = info.GetProperty("recommendationTolerance").GetDouble();
        Assert.Equal(info.GetProperty("settings").GetProperty("calibration").GetProperty("targetLoss").GetDouble(), tolerance);
        var qualifying = solutions.Where(s => s.GetProperty("validationLoss").GetProperty("upper").GetDouble() <= tolerance + 1e-12)
            .OrderBy(s => s.GetProperty("compressedBytes").GetInt64()).Select(s => s.GetProperty("id").GetString()).FirstOrDefault();
        Assert.Equal(qualifying, info.GetProperty("recommendedSolutionId").GetString());
        // The runs list names the same recommendation as the run itself.
        var listed = (await _client.GetJsonAsync("/api/runs")).EnumerateArray().Single(r => r.GetProperty("id").GetString() == info.GetProperty("id").GetString());
        Assert.Equal(qualifying, listed.GetProperty("recommendedSolutionId").GetString());
        Assert.Equal(qualifying, solutions.SingleOrDefault(s => s.GetProperty("recommended").GetBoolean()).ValueKind == JsonValueKind.Undefined
            ? null : solutions.Single(s => s.GetProperty("recommended").GetBoolean()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task GetGenerations_Succeeded_NumbersOneToGenerationsWithGrowingFiguresAndFronts()
    {
        var info = await _client.GetJsonAsync($"/api/runs/{run.RunId}");

        var generations = (await _client.GetJsonAsync($"/api/runs/{run.RunId}/generations")).EnumerateArray().ToArray();

        Assert.Equal(Enumerable.Range(1, Generations), generations.Select(g => g.GetProperty("generation").GetInt32()));
        var evaluations = generations.Select(g => g.GetProperty("evaluations").GetInt32()).ToArray();
        Assert.Equal(evaluations.Order(), evaluations);
        Assert.True(evaluations[0] > 0);
        Assert.Equal(info.GetProperty("evaluations").GetInt32(), evaluations[^1]);
        // NSGA-II keeps its front, so the area it dominates can only grow.
        var hypervolumes = generations.Select(g => g.GetProperty("hypervolume").GetDouble()).ToArray();
        Assert.Equal(hypervolumes.Order(), hypervolumes);
        foreach (var generation in generations)
        {
            var population = Points(generation.GetProperty("population"));
            var front = Points(generation.GetProperty("front"));
            Assert.Equal(Population, population.Length);
            Assert.NotEmpty(front);
            Assert.All(population.Concat(front), p =>
            {
                Assert.InRange(p.K, 2, 64);
                Assert.InRange(p.SharedValues, 1, p.K);
                Assert.InRange(p.ValidationAccuracy, 0, 1);
            });
            Assert.All(front, p => Assert.Contains(p.K, population.Select(q => q.K)));
            // No front member is dominated: fewer shared values never come with higher accuracy.
            Assert.All(front, p => Assert.DoesNotContain(front, q =>
                q.SharedValues <= p.SharedValues && q.ValidationAccuracy >= p.ValidationAccuracy
                && (q.SharedValues < p.SharedValues || q.ValidationAccuracy > p.ValidationAccuracy)));
        }
    }

    [Fact]
    public async Task GetSolutions_Succeeded_OnePerFinalFrontMemberWithApiMdRatios()
    {
        var generations = await _client.GetJsonAsync($"/api/runs/{run.RunId}/generations");
        var lastFront = Points(generations[generations.GetArrayLength() - 1].GetProperty("front")).Select(p => p.K).Distinct().Order();

        var solutions = (await _client.GetJsonAsync($"/api/runs/{run.RunId}/solutions")).EnumerateArray().ToArray();

        Assert.Equal(lastFront, solutions.Select(K).Order());
        Assert.All(solutions, s => Assert.False(s.TryGetProperty("k", out _), "k is retired: parameters.k holds it"));
        Assert.Equal(solutions.Length, solutions.Select(s => s.GetProperty("id").GetString()).Distinct().Count());
        var shared = solutions.Select(s => s.GetProperty("sharedValues").GetInt32()).ToArray();
        Assert.Equal(shared.Order(), shared);
        foreach (var solution in solutions)
        {
            var k = K(solution);
            Assert.InRange(solution.GetProperty("sharedValues").GetInt32(), 1, k);
            Assert.InRange(solution.GetProperty("validationAccuracy").GetDouble(), 0, 1);
            Assert.InRange(solution.GetProperty("testAccuracy").GetDouble(), 0, 1);
            var bits = solution.GetProperty("bitsPerWeight").GetDouble();
            Assert.InRange(bits, 0.0001, Math.Log2(k) + 1);
            var compressed = solution.GetProperty("compressedBytes").GetInt64();
            Assert.InRange(compressed, 1, _modelBytes - 1);
            Assert.Equal((double)_modelBytes / compressed, solution.GetProperty("fileCompressionRatio").GetDouble(), 1e-6);
            Assert.Equal(32 / bits, solution.GetProperty("paperCompressionRatio").GetDouble(), 1e-6);
            Assert.True(solution.GetProperty("merged").ValueKind is JsonValueKind.True or JsonValueKind.False);
            // Merging only joins bins, so a merged solution has fewer values than its k's uniform bins.
            if (solution.GetProperty("merged").GetBoolean())
            {
                Assert.True(solution.GetProperty("sharedValues").GetInt32() < k);
            }
        }
    }

    [Fact]
    public async Task GetCompressed_EverySolution_ReturnsAWszOfCompressedBytes()
    {
        foreach (var solution in await SolutionsAsync())
        {
            using var response = await _client.GetAsync($"/api/solutions/{solution.GetProperty("id").GetString()}/compressed");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
            Assert.EndsWith(".wsz", FileNameOf(response));
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(solution.GetProperty("compressedBytes").GetInt64(), bytes.Length);
            Assert.Equal("WSZ1", Encoding.ASCII.GetString(bytes, 0, 4));
        }
    }

    [Fact]
    public async Task GetCheckpoint_Solution_ReturnsATorchScriptZipNamedPt()
    {
        var solution = (await SolutionsAsync())[0];

        using var response = await _client.GetAsync($"/api/solutions/{solution.GetProperty("id").GetString()}/checkpoint");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".pt", FileNameOf(response));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("PK"u8.ToArray(), bytes[..2]);
        // The shared weights are the model's own layout, so the checkpoint is about the upload's size.
        Assert.InRange(bytes.Length, _modelBytes / 2, _modelBytes * 2);
    }

    [Fact]
    public async Task PostDecompress_DownloadedWsz_ReturnsTheCheckpointDownloadByteForByte()
    {
        foreach (var solution in await SolutionsAsync())
        {
            var id = solution.GetProperty("id").GetString();
            var wsz = await _client.GetByteArrayAsync($"/api/solutions/{id}/compressed");
            var checkpoint = await _client.GetByteArrayAsync($"/api/solutions/{id}/checkpoint");

            using var response = await _client.PostFileAsync("/api/decompress", "solution.wsz", wsz);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Fixtures.Cnn, FileNameOf(response));
            Assert.Equal(checkpoint, await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task GetSolutionsCsv_FinishedRun_OneRowPerSolutionWithTheJsonFigures()
    {
        var solutions = await SolutionsAsync();

        using var response = await _client.GetAsync($"/api/runs/{run.RunId}/solutions.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"run-{run.RunId}-solutions.csv", FileNameOf(response));
        var lines = (await response.Content.ReadAsStringAsync()).Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal(["id", "codec", "k", "sharedValues"], header[..4]);
        Assert.Equal(solutions.Length, lines.Length - 1);
        var first = lines[1].Split(',');
        Assert.Equal(solutions[0].GetProperty("id").GetString(), first[0]);
        Assert.Equal(K(solutions[0]).ToString(System.Globalization.CultureInfo.InvariantCulture), first[2]);
        var testColumn = Array.IndexOf(header, "testAccuracy");
        Assert.Equal(solutions[0].GetProperty("testAccuracy").GetDouble(), double.Parse(first[testColumn], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task GetEvaluationsCsv_FinishedRun_OneRowPerPopulationMemberOfEveryGeneration()
    {
        var generations = await _client.GetJsonAsync($"/api/runs/{run.RunId}/generations");
        var members = generations.EnumerateArray().Sum(g => g.GetProperty("population").GetArrayLength());
        var onFronts = generations.EnumerateArray().Sum(g => g.GetProperty("front").GetArrayLength());

        using var response = await _client.GetAsync($"/api/runs/{run.RunId}/evaluations.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("generation,k,sharedValues,validationMetric,bytes,inFront,validationSamplesUsed", lines[0]);
        Assert.Equal(members, lines.Length - 1);
        Assert.InRange(lines.Count(l => l.Split(',')[5] == "true"), 1, onFronts);
        // The paper codec does not race: every evaluation measured all 300 validation samples.
        Assert.All(lines.Skip(1), l => Assert.Equal("300", l.Split(',')[6]));
        Assert.Equal(Enumerable.Range(1, Generations), lines.Skip(1).Select(l => int.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)).Distinct());
    }

    [Fact]
    public async Task GetReport_FinishedRun_OneHtmlFileWithChartsAndEverySolution()
    {
        using var response = await _client.GetAsync($"/api/runs/{run.RunId}/report.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"run-{run.RunId}-report.html", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var html = await response.Content.ReadAsStringAsync();
        var solutions = await _client.GetJsonAsync($"/api/runs/{run.RunId}/solutions");
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("<svg ").Length - 1);
        Assert.Equal(2, html.Split("<polyline").Length - 1);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(solutions.GetArrayLength(), html.Split("class=\"solution\"").Length - 1);
        foreach (var solution in solutions.EnumerateArray())
        {
            Assert.Contains(System.Net.WebUtility.HtmlEncode(solution.GetProperty("description").GetString()!), html, StringComparison.Ordinal);
        }
        Assert.Contains($"Generations {Generations} of {Generations}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCsv_UnknownRun_Returns404()
    {
        using var solutions = await _client.GetAsync("/api/runs/no-such-run/solutions.csv");
        using var evaluations = await _client.GetAsync("/api/runs/no-such-run/evaluations.csv");

        await solutions.ProblemAsync(HttpStatusCode.NotFound);
        await evaluations.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PostDecompress_CheckpointInsteadOfWsz_Returns415()
    {
        using var response = await _client.PostFixtureAsync("/api/decompress", Fixtures.Cnn);

        var detail = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains(".wsz", detail);
    }

    [Fact]
    public async Task PostDecompress_WszWithFlippedBytesInTheMiddle_Returns400()
    {
        var id = (await SolutionsAsync())[0].GetProperty("id").GetString();
        var wsz = await _client.GetByteArrayAsync($"/api/solutions/{id}/compressed");
        for (var i = wsz.Length / 2; i < wsz.Length / 2 + 16; i++)
        {
            wsz[i] ^= 0xA5;
        }

        using var response = await _client.PostFileAsync("/api/decompress", "corrupt.wsz", wsz);

        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PostDecompress_TinyWszClaimingAGigabyteFile_Returns413WithoutRebuildingIt()
    {
        // Arrange: a valid file of under 200 bytes that decodes to 300 M weights.
        var file = HostileWsz.Weights(300_000_000, trueSha256: false);

        // Act
        using var response = await _client.PostFileAsync("/api/decompress", "big.wsz", file);

        // Assert
        var detail = await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1200000000 bytes", detail, StringComparison.Ordinal);
        Assert.True(file.Length < 200);
    }

    [Fact]
    public async Task PostDecompress_TruncatedWsz_Returns400()
    {
        var id = (await SolutionsAsync())[0].GetProperty("id").GetString();
        var wsz = await _client.GetByteArrayAsync($"/api/solutions/{id}/compressed");

        using var response = await _client.PostFileAsync("/api/decompress", "cut.wsz", wsz[..(wsz.Length - 100)]);

        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PostDecompress_NoFile_Returns400()
    {
        using var form = new MultipartFormDataContent { { new StringContent("x"), "note" } };

        using var response = await _client.PostAsync("/api/decompress", form);

        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PostDecompress_NotMultipart_Returns415()
    {
        using var content = new ByteArrayContent("WSZ1"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await _client.PostAsync("/api/decompress", content);

        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Run_Succeeded_LeavesTheUploadStoredAndNothingInTheTemporaryFolder()
    {
        var model = await _client.GetJsonAsync($"/api/models/{run.ModelId}");

        var stored = Path.Combine(run.Factory.FilesDirectory, model.GetProperty("sha256").GetString()!);

        Assert.True(File.Exists(stored), stored);
        Assert.Equal(Fixtures.Bytes(Fixtures.Cnn), await File.ReadAllBytesAsync(stored));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(run.Factory.FilesDirectory, "tmp")));
    }

    private async Task<JsonElement[]> SolutionsAsync()
    {
        var solutions = (await _client.GetJsonAsync($"/api/runs/{run.RunId}/solutions")).EnumerateArray().ToArray();
        Assert.NotEmpty(solutions);
        return solutions;
    }

    private static string FileNameOf(HttpResponseMessage response)
    {
        var disposition = response.Content.Headers.ContentDisposition;
        Assert.NotNull(disposition);
        return (disposition.FileNameStar ?? disposition.FileName ?? "").Trim('"');
    }

    private static Point[] Points(JsonElement array) => array.EnumerateArray()
        .Select(p => new Point(K(p), p.GetProperty("sharedValues").GetInt32(), p.GetProperty("validationAccuracy").GetDouble()))
        .ToArray();

    private static int K(JsonElement pointOrSolution) => pointOrSolution.GetProperty("parameters").GetProperty("k").GetInt32();

    private sealed record Point(int K, int SharedValues, double ValidationAccuracy);
}
