using Bunit;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WeightShare.Engine.Metrics;
using WeightShare.Tests.Support;
using WeightShare.Web.Components.Pages.Run;
using WeightShare.Web.Tests.Components;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Api;

/// <summary>
/// A new metric is one class and one registration: the test-only top-2 accuracy, registered by the host, is taken by
/// POST /api/runs, measured by the Engine, named by the run page and the report.
/// </summary>
public sealed class SecondMetricTests : ComponentTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Run_TopTwoAccuracy_ThroughApiRunPageAndReport()
    {
        // Arrange: the product's host with one more metric registered.
        await using var factory = new TopTwoAppFactory();
        var client = factory.CreateClient();
        var model = await client.UploadModelAsync();
        var dataset = await client.UploadFashionMnistAsync();

        // Act
        var runId = await client.StartRunAsync(new
        {
            modelId = model,
            datasetId = dataset,
            codec = "paper",
            metric = TopTwoAccuracyMetric.MetricId,
            validationSamples = 300,
            search = new { population = 6, generations = 2, seed = 1 },
        });
        var run = await client.WaitForStatusAsync(runId, "Succeeded", Patience);

        // Assert: the run measured top-2 accuracy, which the fixture CNN (top-1 about 90 % on the test images) clears by far.
        Assert.Equal(TopTwoAccuracyMetric.MetricId, run.GetProperty("settings").GetProperty("metric").GetString());
        Assert.InRange(run.GetProperty("baseline").GetProperty("validationAccuracy").GetDouble(), 0.95, 1.0);
        var solutions = (await client.GetJsonAsync($"/api/runs/{runId}/solutions")).EnumerateArray().ToList();
        Assert.NotEmpty(solutions);
        Assert.All(solutions, s => Assert.InRange(s.GetProperty("validationMetric").GetDouble(), 0.0, 1.0));
        var report = await client.GetStringAsync($"/api/runs/{runId}/report.html");
        Assert.Contains("<p>Metric: top-2 accuracy</p>", report, StringComparison.Ordinal);

        // The run page names the metric as the metric names itself.
        UseAppServices(factory.Services);
        var page = Render<RunPage>(p => p.Add(c => c.Id, runId));
        page.WaitForAssertion(() => Assert.Contains("Labels: top-2 accuracy of the model", page.Find("[data-testid=mode]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Validation top-2 accuracy against shared values", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostRun_UnknownMetric_400NamesTheMetricsThereAre()
    {
        await using var factory = new TopTwoAppFactory();
        var client = factory.CreateClient();
        var model = await client.UploadModelAsync();
        var dataset = await client.UploadFashionMnistAsync();

        using var response = await client.PostRunAsync(new { modelId = model, datasetId = dataset, metric = "topThree" });

        Assert.Equal("metric 'topThree' is not one of: accuracy, macroF1, agreement, outputFidelity, weightSnr, topTwoAccuracy.", await response.ProblemAsync(HttpStatusCode.BadRequest));
    }

    private sealed class TopTwoAppFactory : WebAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton(MetricRegistry.CreateDefault().Register(new TopTwoAccuracyMetric())));
        }
    }
}
