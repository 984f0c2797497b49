using System.Globalization;
using System.Net;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>A racing run through the API: how many evaluations raced and how many samples each one used.</summary>
public sealed class RacingApiTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private const int Validation = 600;

    [Fact]
    public async Task Run_ScalarRacing_ReportsRacedEvaluationsAndTheSamplesOfEveryEvaluation()
    {
        // Arrange: k from 2, whose smallest files lose more than calibration can recover: racing stops them early.
        var client = catalog.Client;
        var runId = await client.StartRunAsync(new
        {
            modelId = catalog.CnnId,
            datasetId = catalog.FashionMnistId,
            validationSamples = Validation,
            search = new { population = 8, generations = 2, kMin = 2, kMax = 40, seed = 1 },
            calibration = new { samples = 200, steps = 5, budget = 1 },
        });

        // Act
        var run = await client.WaitForStatusAsync(runId, "Succeeded", TimeSpan.FromMinutes(4));
        var generations = (await client.GetJsonAsync($"/api/runs/{runId}/generations")).EnumerateArray().ToList();
        using var csv = await client.GetAsync($"/api/runs/{runId}/evaluations.csv");

        // Assert: the run races by default and says how much it saved.
        Assert.True(run.GetProperty("settings").GetProperty("search").GetProperty("racing").GetBoolean());
        var evaluations = run.GetProperty("evaluations").GetInt32();
        var raced = run.GetProperty("racedEvaluations").GetInt32();
        var samples = run.GetProperty("validationSamplesEvaluated").GetInt64();
        Assert.InRange(raced, 1, evaluations - 1);
        Assert.InRange(samples, (long)evaluations * 256, ((long)evaluations * Validation) - 1);
        var last = generations[^1];
        Assert.Equal((raced, samples), (last.GetProperty("racedEvaluations").GetInt32(), last.GetProperty("validationSamplesEvaluated").GetInt64()));
        // Every point says what it used: whole chunks of 256, or the split; the front's points the whole split.
        var used = generations.SelectMany(g => g.GetProperty("population").EnumerateArray()).Select(p => p.GetProperty("validationSamplesUsed").GetInt32()).ToList();
        Assert.All(used, n => Assert.Contains(n, new[] { 256, 512, Validation }));
        Assert.Contains(256, used);
        Assert.All(generations.SelectMany(g => g.GetProperty("front").EnumerateArray()), p => Assert.Equal(Validation, p.GetProperty("validationSamplesUsed").GetInt32()));
        // The evaluations CSV carries the same figure per member.
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var lines = (await csv.Content.ReadAsStringAsync()).Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        var column = Array.IndexOf(lines[0].Split(','), "validationSamplesUsed");
        Assert.Equal(used, lines.Skip(1).Select(l => int.Parse(l.Split(',')[column], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task PostRun_RacingWithMacroF1_Returns400NamingTheMetricsThatRace()
    {
        using var response = await catalog.Client.PostRunAsync(new
        {
            modelId = catalog.CnnId,
            datasetId = catalog.FashionMnistId,
            metric = "macroF1",
            search = new { racing = true },
        });

        Assert.Contains("use one of accuracy, agreement on data", await response.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }
}
