using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>
/// Inputs without labels through the API: an npz with x alone uploads as a dataset without classes, and runs on it
/// measure agreement with the uploaded classifier or the fidelity of a regression model's outputs.
/// </summary>
public sealed class UnlabelledRunApiTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private async Task<string> UploadInputsAsync()
    {
        using var response = await catalog.Client.PostAsync("/api/datasets",
            ApiClient.Form([(Fixtures.UnlabelledNpz, Fixtures.Bytes(Fixtures.UnlabelledNpz))], Fixtures.FashionMnistPreprocessing));
        var dataset = await response.JsonAsync(HttpStatusCode.Created);
        Assert.False(dataset.GetProperty("labelled").GetBoolean());
        Assert.Equal(0, dataset.GetProperty("classes").GetInt32());
        Assert.Equal(2000, dataset.GetProperty("samples").GetInt32());
        return dataset.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Run_AgreementOnInputsWithoutLabels_SucceedsWithAgreementFigures()
    {
        // Arrange
        var datasetId = await UploadInputsAsync();

        // Act
        var runId = await catalog.Client.StartRunAsync(new
        {
            modelId = catalog.CnnId,
            datasetId,
            metric = "agreement",
            validationSamples = 300,
            search = new { population = 8, generations = 3, kMin = 4, kMax = 64, seed = 1 },
            calibration = new { steps = 20, budget = 1 },
        });
        var run = await catalog.Client.WaitForStatusAsync(runId, "Succeeded", Patience);

        // Assert: the uploaded model agrees with itself; solutions agree on most test samples, none is in dB.
        Assert.False(run.GetProperty("dataFree").GetBoolean());
        Assert.Equal("agreement", run.GetProperty("settings").GetProperty("metric").GetString());
        Assert.Equal(1.0, run.GetProperty("baseline").GetProperty("testAccuracy").GetDouble());
        var solutions = (await catalog.Client.GetJsonAsync($"/api/runs/{runId}/solutions")).EnumerateArray().ToList();
        Assert.NotEmpty(solutions);
        Assert.All(solutions, s =>
        {
            Assert.InRange(s.GetProperty("testAccuracy").GetDouble(), 0, 1);
            Assert.Equal(JsonValueKind.Null, s.GetProperty("snrDb").ValueKind);
        });
        Assert.Contains(solutions, s => s.GetProperty("testAccuracy").GetDouble() >= 0.95);
        await catalog.Client.AssertFilesDecompressAsync(solutions, "scalar");
    }

    [Fact]
    public async Task Run_OutputFidelityOfARegressionModel_SucceedsWithOutputSnrInDecibels()
    {
        // Arrange: a model returning 4 numbers per image, and inputs without labels.
        var modelId = await catalog.Client.UploadModelAsync(Fixtures.Regressor);
        var datasetId = await UploadInputsAsync();

        // Act
        var runId = await catalog.Client.StartRunAsync(new
        {
            modelId,
            datasetId,
            metric = "outputFidelity",
            validationSamples = 300,
            search = new { population = 8, generations = 3, kMin = 4, kMax = 64, seed = 1 },
        });
        var run = await catalog.Client.WaitForStatusAsync(runId, "Succeeded", Patience);

        // Assert: nothing calibrated (distillation is for class scores); the figures are the outputs' SNR in dB.
        Assert.Equal(0, run.GetProperty("settings").GetProperty("calibration").GetProperty("samples").GetInt32());
        var solutions = (await catalog.Client.GetJsonAsync($"/api/runs/{runId}/solutions")).EnumerateArray().ToList();
        Assert.NotEmpty(solutions);
        Assert.All(solutions, s =>
        {
            Assert.False(s.GetProperty("merged").GetBoolean());
            Assert.Equal(100 * s.GetProperty("testAccuracy").GetDouble(), s.GetProperty("snrDb").GetDouble(), 9);
        });
        var bySize = solutions.OrderBy(s => s.GetProperty("compressedBytes").GetInt64()).Select(s => s.GetProperty("snrDb").GetDouble()).ToList();
        Assert.True(bySize[^1] > bySize[0], string.Join(", ", bySize));
        await catalog.Client.AssertFilesDecompressAsync(solutions, "scalar");
    }

    [Fact]
    public async Task Run_OutputFidelity_SolutionsCarryTheSnrIntervalAndNothingIsRecommended()
    {
        // Arrange
        var modelId = await catalog.Client.UploadModelAsync(Fixtures.Regressor);
        var datasetId = await UploadInputsAsync();

        // Act
        var runId = await catalog.Client.StartRunAsync(new
        {
            modelId,
            datasetId,
            metric = "outputFidelity",
            validationSamples = 300,
            search = new { population = 8, generations = 2, kMin = 4, kMax = 64, seed = 2 },
        });
        var run = await catalog.Client.WaitForStatusAsync(runId, "Succeeded", Patience);
        var solutions = (await catalog.Client.GetJsonAsync($"/api/runs/{runId}/solutions")).EnumerateArray().ToList();
        var csv = (await catalog.Client.GetStringAsync($"/api/runs/{runId}/solutions.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // Assert: each split's SNR (dB / 100, as the metric) inside its own 95 % interval, no loss against the uploaded
        // model, so the loss-based rule recommends nothing.
        Assert.NotEmpty(solutions);
        Assert.All(solutions, s =>
        {
            foreach (var (split, figure) in new[] { ("validation", s.GetProperty("validationMetric").GetDouble()), ("test", s.GetProperty("testAccuracy").GetDouble()) })
            {
                var interval = s.GetProperty(split + "Interval");
                var (value, lower, upper) = (interval.GetProperty("value").GetDouble(), interval.GetProperty("lower").GetDouble(), interval.GetProperty("upper").GetDouble());
                Assert.Equal(figure, value, 12);
                Assert.True(lower < value && value < upper && upper - lower < 0.05, $"{split} {value} in [{lower}, {upper}]");
                Assert.Equal(JsonValueKind.Null, s.GetProperty(split + "Loss").ValueKind);
            }
            Assert.False(s.GetProperty("recommended").GetBoolean());
        });
        Assert.Equal(JsonValueKind.Null, run.GetProperty("recommendedSolutionId").ValueKind);
        // The CSV's last column (after the quoted description, so counted from the end) is the test interval's upper end.
        Assert.EndsWith(",testIntervalUpper", csv[0].TrimEnd('\r'), StringComparison.Ordinal);
        var row = csv[1].TrimEnd('\r').Split(',');
        var first = solutions.Single(s => s.GetProperty("id").GetString() == row[0]);
        Assert.Equal(first.GetProperty("testInterval").GetProperty("upper").GetDouble(), double.Parse(row[^1], System.Globalization.CultureInfo.InvariantCulture), 12);
    }

    [Fact]
    public async Task PostRun_AccuracyOnInputsWithoutLabels_Returns400NamingTheMetricsThatWork()
    {
        var datasetId = await UploadInputsAsync();

        using var response = await catalog.Client.PostAsJsonAsync("/api/runs", new { modelId = catalog.CnnId, datasetId, validationSamples = 300 });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("no labels", problem, StringComparison.Ordinal);
        Assert.Contains("agreement", problem, StringComparison.Ordinal);
    }
}
