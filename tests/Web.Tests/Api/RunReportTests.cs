using WeightShare.Engine.Compression;
using WeightShare.Engine.Metrics;
using WeightShare.Jobs.Data;
using WeightShare.Jobs.Runs;
using WeightShare.Web.Api;
using static WeightShare.Web.Tests.Components.Samples;

namespace WeightShare.Web.Tests.Api;

/// <summary>The HTML report marks the solutions as the API does: the recommendation it names comes from the run, not from the test split.</summary>
public sealed class RunReportTests
{
    [Fact]
    public void Html_RecommendedSolution_MarkedRecommendedAndNoOtherIs()
    {
        // Arrange: the smaller file has the better test figure, but the run recommends the other (chosen on validation).
        var run = RunInfo.Of(new Run { ModelId = "m", DatasetId = "d", SettingsJson = new RunSettings().ToJson(), Status = RunStatus.Succeeded });
        var bestOnTest = Solution("a", 8, 8, ready: true) with { TestAccuracy = 0.91, CompressedBytes = 40_000 };
        var recommended = Solution("b", 16, 16, ready: true) with { TestAccuracy = 0.88, Recommended = true };

        // Act
        var html = RunReport.Html(run, new AccuracyMetric(), "cnn.pt", "data.npz", [], [bestOnTest, recommended]);

        // Assert
        var rows = html.Split("<tr>").Where(r => r.Contains("shared values</td>", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Contains("<td class=\"l\">recommended</td>", rows.Single(r => r.Contains("k = 16", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain("recommended", rows.Single(r => r.Contains("k = 8", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("test figures on samples the search never saw; they only report", html, StringComparison.Ordinal);
    }
}
