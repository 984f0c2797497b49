using Bunit;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Metrics;
using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Runs;
using WeightShare.Web.Api;
using WeightShare.Web.Components.Charts;
using WeightShare.Web.Components.Pages.Compare;
using static WeightShare.Web.Tests.Components.Samples;

namespace WeightShare.Web.Tests.Components;

/// <summary>Compare's size-only view: every run by .wsz bytes, whatever its metric.</summary>
public sealed class SizeStripChartTests : ComponentTestBase
{
    [Fact]
    public void SizeStripChart_DataFreeRunAndAccuracyRun_ShowsBothWithTheirSizes()
    {
        // Arrange: a data-free run in dB, which the accuracy overlay leaves out, and an accuracy run.
        var dataFree = Compared("run-db", null, new WeightSnrMetric(), [Sized("a", 12_000), Sized("b", 40_000)]);
        var accuracy = Compared("run-acc", "data-1", new AccuracyMetric(), [Sized("c", 65_000)]);

        // Act
        var cut = Render<SizeStripChart>(p => p.Add(c => c.Runs, new[] { dataFree, accuracy }));
        var overlay = Render<OverlayChart>(p => p.Add(c => c.Runs, new[] { dataFree, accuracy }));

        // Assert: both runs are on the size chart, each with its count and size range; the overlay has only one.
        Assert.Equal("2", cut.Find("[data-testid=size-strip-chart]").GetAttribute("data-runs"));
        var rows = cut.FindAll("[data-testid=size-strip-runs] li");
        Assert.Equal(["run-db", "run-acc"], rows.Select(r => r.GetAttribute("data-run-id")));
        Assert.Matches(@"run-db \(dB\):\s+2 solutions, 11\.7 KiB to 39\.1 KiB", rows[0].TextContent);
        Assert.Matches(@"run-acc \(%\):\s+1 solution, 63\.5 KiB\s*$", rows[1].TextContent);
        Assert.Equal("1", overlay.Find("[data-testid=overlay-chart]").GetAttribute("data-runs"));
    }

    private static SolutionInfo Sized(string id, long bytes) => Solution(id, 8, 8, ready: true) with { CompressedBytes = bytes };

    private static ComparedRun Compared(string id, string? datasetId, MetricDefinition metric, SolutionInfo[] solutions) => new(
        new RunInfo(id, "model-1", datasetId, RunStatus.Succeeded, PipelinePhase.Done, 1, 4, 4, 40, 0, new BaselineInfo(0.9, 0.9, 849_177), null,
            DateTime.UtcNow, DateTime.UtcNow, DateTime.UtcNow, new RunSettings { Metric = metric.Id }, new TimingsInfo(1, 2, 3, 4)),
        $"fmnist_cnn · {id}",
        solutions,
        [],
        metric);
}
