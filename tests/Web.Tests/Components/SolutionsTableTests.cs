using Bunit;
using WeightShare.Web.Components.Pages.Run;
using static WeightShare.Web.Tests.Components.Samples;

namespace WeightShare.Web.Tests.Components;

/// <summary>The final front's table: one row per solution, downloads only once both files are written.</summary>
public sealed class SolutionsTableTests : ComponentTestBase
{
    [Fact]
    public void SolutionsTable_ReadyAndWritingSolutions_LinksOnlyTheReadyOnesFiles()
    {
        var solutions = new[] { Solution("ready-1", 16, 12, ready: true, merged: true), Solution("writing-1", 32, 30, ready: false) };

        var cut = Render<SolutionsTable>(p => p.Add(c => c.Solutions, solutions).Add(c => c.BaselineTestAccuracy, 0.9));

        var rows = cut.FindAll("tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Single(cut.FindAll("a[href='/api/solutions/ready-1/compressed']"));
        Assert.Single(cut.FindAll("a[href='/api/solutions/ready-1/checkpoint']"));
        Assert.Empty(cut.FindAll("a[href^='/api/solutions/writing-1/']"));
        Assert.Single(cut.FindAll("[data-testid=download-compressed]"));
        Assert.Contains("writing", rows[1].TextContent);
        Assert.Contains("merged", rows[0].TextContent);
        Assert.DoesNotContain("merged", rows[1].TextContent);
    }

    [Fact]
    public void SolutionsTable_ReadySolution_ShowsItsFiguresFormatted()
    {
        var cut = Render<SolutionsTable>(p => p.Add(c => c.Solutions, new[] { Solution("s", 16, 12, ready: true) }).Add(c => c.ModelBytes, 849_177));

        Assert.Contains("full precision, so about as large as the upload (829.3 KiB)", cut.Find("[data-testid=download-checkpoint]").GetAttribute("title"), StringComparison.Ordinal);
        Assert.Equal("13.06x", cut.Find("[data-testid=file-ratio]").TextContent.Trim());
        Assert.Equal("65000", cut.Find("[data-testid=compressed-bytes]").GetAttribute("data-bytes"));
        Assert.Contains("63.5 KiB", cut.Find("[data-testid=compressed-bytes]").TextContent);
        Assert.Contains("9.85x", cut.Find("tbody tr").TextContent);
    }

    [Fact]
    public void SolutionsTable_DataFreeRun_OneColumnOfWeightSnrInDecibels()
    {
        var solution = Solution("s", 16, 12, ready: true) with { TestAccuracy = 0.3114, ValidationMetric = 0.3114 };

        var cut = Render<SolutionsTable>(p => p.Add(c => c.Solutions, new[] { solution.WithDecibels() }).Add(c => c.DataFree, true)
            .Add(c => c.Metric, new WeightShare.Engine.Metrics.WeightSnrMetric()).Add(c => c.BaselineTestAccuracy, 1.0));

        Assert.Equal("31.1 dB", cut.Find("[data-testid=weight-snr]").TextContent.Trim());
        Assert.Contains("Weight SNR", cut.Find("thead").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Test", cut.Find("thead").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=recommended]"));
    }

    [Fact]
    public void SolutionsTable_OutputFidelityRun_ValidationAndTestInDecibels()
    {
        var solution = Solution("s", 16, 12, ready: true) with { TestAccuracy = 0.405, ValidationMetric = 0.41 };

        var cut = Render<SolutionsTable>(p => p.Add(c => c.Solutions, new[] { solution })
            .Add(c => c.Metric, new WeightShare.Engine.Metrics.OutputFidelityMetric()));

        Assert.Equal("40.5 dB", cut.Find("[data-testid=test-figure]").TextContent.Trim());
        Assert.Contains("41.0 dB", cut.Find("tbody tr").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SolutionsTable_OutputFidelityIntervals_ShownInDecibelsUnderEachFigure()
    {
        var solution = Solution("s", 16, 12, ready: true) with
        {
            TestAccuracy = 0.405,
            ValidationMetric = 0.41,
            ValidationInterval = new WeightShare.Engine.Metrics.MetricInterval(0.41, 0.402, 0.4183),
            TestInterval = new WeightShare.Engine.Metrics.MetricInterval(0.405, 0.399, 0.411),
        };

        var cut = Render<SolutionsTable>(p => p.Add(c => c.Solutions, new[] { solution })
            .Add(c => c.Metric, new WeightShare.Engine.Metrics.OutputFidelityMetric()));

        Assert.Equal("95 %: 40.2 to 41.8 dB", cut.Find("[data-testid=validation-interval]").TextContent.Trim());
        Assert.Equal("95 %: 39.9 to 41.1 dB", cut.Find("[data-testid=test-interval]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=validation-loss]"));
    }

    [Fact]
    public void SolutionsTable_TestFigureBelowTheBaseline_OrangeWithALegendThatSaysWhy()
    {
        var solutions = new[] { Solution("close", 16, 12, ready: true), Solution("far", 4, 4, ready: true) with { TestAccuracy = 0.80 } };

        var cut = Render<SolutionsTable>(p => p.Add(c => c.Solutions, solutions).Add(c => c.BaselineTestAccuracy, 0.9));

        var rows = cut.FindAll("tbody tr");
        Assert.Empty(rows[0].QuerySelectorAll("[data-testid=test-below-baseline]"));
        Assert.Equal("80.00 %", rows[1].QuerySelector("[data-testid=test-below-baseline]")!.TextContent.Trim());
        Assert.Contains("more than one point below the uploaded model's test figure (90.00 %)", cut.Find("[data-testid=test-legend]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SolutionsTable_EveryTestFigureNearTheBaseline_NoLegend()
    {
        var cut = Render<SolutionsTable>(p => p.Add(c => c.Solutions, new[] { Solution("close", 16, 12, ready: true) }).Add(c => c.BaselineTestAccuracy, 0.9));

        Assert.Empty(cut.FindAll("[data-testid=test-below-baseline]"));
        Assert.Empty(cut.FindAll("[data-testid=test-legend]"));
    }

    [Fact]
    public void SolutionsTable_RecommendedSolution_BadgeBesideTheGenesAndRowKeyedByThem()
    {
        var solution = Solution("s", 16, 12, ready: true) with { Recommended = true };

        var cut = Render<SolutionsTable>(p => p.Add(c => c.Solutions, new[] { solution }));

        // The genes stay a text of their own (the chart's label for the point), the badge sits beside them, not on them.
        Assert.Equal("k = 16", cut.Find("[data-testid=solution-parameters]").TextContent.Trim());
        Assert.Contains("recommended", cut.Find("[data-testid=recommended]").TextContent, StringComparison.Ordinal);
        Assert.Equal("k = 16", cut.Find("td[data-solution-label]").GetAttribute("data-solution-label"));
        Assert.Equal("12 shared values", cut.Find("[data-testid=shared-values]").TextContent.Trim());
    }
}
