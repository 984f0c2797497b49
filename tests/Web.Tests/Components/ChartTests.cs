using Bunit;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Metrics;
using WeightShare.Web.Components.Charts;
using static WeightShare.Web.Tests.Components.Samples;

namespace WeightShare.Web.Tests.Components;

/// <summary>The Plotly charts expose what they draw as data attributes the browser tests read.</summary>
public sealed class ChartTests : ComponentTestBase
{
    [Fact]
    public void ParetoChart_TwoGenerations_RendersEvaluatedFrontAndGenerationAttributes()
    {
        var generations = new[]
        {
            Generation(1, [Point(16, 14, 0.8), Point(4, 4, 0.3)], [Point(16, 14, 0.8), Point(4, 4, 0.3)]),
            Generation(2, [Point(16, 14, 0.8), Point(8, 7, 0.7), Point(4, 4, 0.3)], [Point(16, 14, 0.8), Point(8, 7, 0.7)]),
        };

        var cut = Render<ParetoChart>(p => p.Add(c => c.Generations, generations).Add(c => c.Baseline, 0.9));

        var chart = cut.Find("[data-testid=pareto-chart]");
        Assert.Equal("3", chart.GetAttribute("data-evaluated"));
        Assert.Equal("2", chart.GetAttribute("data-front"));
        Assert.Equal("2", chart.GetAttribute("data-generation"));
        Assert.NotNull(cut.Find("#pareto-chart"));
    }

    [Fact]
    public void ParetoChart_NewGenerationParameter_UpdatesTheAttributes()
    {
        var first = Generation(1, [Point(16, 14, 0.8)], [Point(16, 14, 0.8)]);
        var cut = Render<ParetoChart>(p => p.Add(c => c.Generations, new[] { first }));

        cut.Render(p => p.Add(c => c.Generations, new[] { first, Generation(2, [Point(32, 30, 0.85)], [Point(32, 30, 0.85), Point(16, 14, 0.8)]) }));

        var chart = cut.Find("[data-testid=pareto-chart]");
        Assert.Equal("2", chart.GetAttribute("data-generation"));
        Assert.Equal("2", chart.GetAttribute("data-evaluated"));
        Assert.Equal("2", chart.GetAttribute("data-front"));
    }

    [Fact]
    public void ParetoChart_BytesRunWithModelSize_SwitchTurnsTheXAxisIntoTheFileRatio()
    {
        var front = new[] { Point(16, 14, 0.8) with { Bytes = 40_000 }, Point(8, 8, 0.7) with { Bytes = 20_000 } };
        var cut = Render<ParetoChart>(p => p.Add(c => c.Generations, new[] { Generation(1, front, front) }).Add(c => c.ModelBytes, 800_000L));
        Assert.StartsWith(".wsz file size", cut.Find("[data-testid=pareto-chart]").GetAttribute("data-x-axis"), StringComparison.Ordinal);

        cut.Find("input[data-testid=pareto-ratio], [data-testid=pareto-ratio] input").Change(true);

        Assert.StartsWith("File ratio", cut.Find("[data-testid=pareto-chart]").GetAttribute("data-x-axis"), StringComparison.Ordinal);
    }

    [Fact]
    public void ParetoChart_SharedValuesRun_OffersNoRatio()
    {
        var front = new[] { Point(16, 14, 0.8) };

        var cut = Render<ParetoChart>(p => p.Add(c => c.Generations, new[] { Generation(1, front, front) }).Add(c => c.ModelBytes, 800_000L));

        Assert.Empty(cut.FindAll("[data-testid=pareto-ratio]"));
        Assert.StartsWith("Shared values", cut.Find("[data-testid=pareto-chart]").GetAttribute("data-x-axis"), StringComparison.Ordinal);
    }

    [Fact]
    public void ParetoChart_FirstBytesGenerationAfterAnEmptyChart_RedrawsUnderTheFileSizeTitle()
    {
        // Arrange: the chart as a run page opened before the search shows it: no generation, a shared-values title.
        var react = JSInterop.SetupModule().SetupVoid("react", _ => true);
        react.SetVoidResult();
        var cut = Render<ParetoChart>(p => p.Add(c => c.Generations, Array.Empty<WeightShare.Web.Api.GenerationInfo>()));
        var front = new[] { Point(16, 14, 0.8) with { Bytes = 400_000 }, Point(8, 8, 0.7) with { Bytes = 150_000 } };

        // Act: the first generation of a run that searched bytes.
        cut.Render(p => p.Add(c => c.Generations, new[] { Generation(1, front, front) }));

        // Assert: the redraw Plotly receives (not only the page's attribute) carries the bytes title.
        var layout = SentLayout(Assert.Single(react.Invocations)).GetRawText();
        Assert.Contains(".wsz file size (bytes, log scale)", layout, StringComparison.Ordinal);
        Assert.DoesNotContain("Shared values", layout, StringComparison.Ordinal);
        Assert.Equal(".wsz file size (bytes, log scale)", cut.Instance.DrawnXAxisTitle);
    }

    [Fact]
    public void HypervolumeChart_OneGeneration_YAxisFromZeroInShortSiTicksWithRoomForThem()
    {
        var newPlot = JSInterop.SetupModule().SetupVoid("newPlot", _ => true);
        newPlot.SetVoidResult();

        Render<HypervolumeChart>(p => p.Add(c => c.Generations, new[] { Generation(1, [Point(8, 8, 0.5)], [Point(8, 8, 0.5)]) with { Hypervolume = 1_391_688.5 } }));

        var yaxis = SentLayout(Assert.Single(newPlot.Invocations)).GetProperty("yaxis");
        Assert.Equal("tozero", yaxis.GetProperty("rangemode").GetString());
        Assert.Equal("~s", yaxis.GetProperty("tickformat").GetString());
        Assert.True(yaxis.GetProperty("automargin").ValueKind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.String);
    }

    [Fact]
    public void HypervolumeChart_TabClosedDuringTheFirstDraw_RendersWithoutAnError()
    {
        var newPlot = JSInterop.SetupModule().SetupVoid("newPlot", _ => true);
        newPlot.SetException(new Microsoft.JSInterop.JSDisconnectedException("JavaScript interop calls cannot be issued at this time."));

        var cut = Render<HypervolumeChart>(p => p.Add(c => c.Generations, new[] { Generation(1, [Point(8, 8, 0.5)], [Point(8, 8, 0.5)]) }));

        // The draw was attempted and failed as a closed tab's does; the chart is rendered and nothing was thrown.
        Assert.Single(newPlot.Invocations);
        Assert.NotEmpty(cut.Markup);
    }

    [Fact]
    public void HypervolumeChart_ThreeGenerations_CountsThem()
    {
        var generations = Enumerable.Range(1, 3).Select(i => Generation(i, [Point(8, 8, 0.5)], [Point(8, 8, 0.5)])).ToArray();

        var cut = Render<HypervolumeChart>(p => p.Add(c => c.Generations, generations));

        Assert.Equal("3", cut.Find("[data-testid=hypervolume-chart]").GetAttribute("data-generations"));
        Assert.Contains("dominates", cut.Find("[data-testid=hypervolume-explained]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=hypervolume-waiting]"));
    }

    [Theory]
    [InlineData(MetricUnit.Decibels, SizeObjective.Bytes, "Area: (1 − dB/100) × .wsz bytes", "40 dB counts 0.6")]
    [InlineData(MetricUnit.Percent, SizeObjective.SharedValues, "Area: (1 − metric) × shared values", "90 % counts 0.1")]
    [InlineData(null, null, "Area: (1 − metric) × size", "40 dB (a data-free run's weight SNR) counts 0.6")]
    public void HypervolumeChart_RunsUnitAndObjective_AxisHasTheAreasUnitAndTheHelpSaysWhatGrows(MetricUnit? unit, SizeObjective? objective, string axis, string example)
    {
        var generations = new[] { Generation(1, [Point(8, 8, 0.5)], [Point(8, 8, 0.5)]) };

        var cut = Render<HypervolumeChart>(p => p.Add(c => c.Generations, generations).Add(c => c.Unit, unit).Add(c => c.Objective, objective));

        Assert.Equal(axis, cut.Find("[data-testid=hypervolume-chart]").GetAttribute("data-y-axis"));
        var help = cut.Find("[data-testid=hypervolume-explained]").TextContent;
        Assert.Contains(example, help, StringComparison.Ordinal);
        Assert.Contains("never falls", help, StringComparison.Ordinal);
        Assert.DoesNotContain("error", help, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Charts_NoGenerationYet_SayTheyAreWaitingForTheFirst()
    {
        var hypervolume = Render<HypervolumeChart>(p => p.Add(c => c.Generations, Array.Empty<WeightShare.Web.Api.GenerationInfo>()));
        var pareto = Render<ParetoChart>(p => p.Add(c => c.Generations, Array.Empty<WeightShare.Web.Api.GenerationInfo>()));

        Assert.Contains("Waiting for the first generation", hypervolume.Find("[data-testid=hypervolume-waiting]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Waiting for the first generation", pareto.Find("[data-testid=pareto-waiting]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParetoChart_DisposedWhileARedrawIsPending_CancelsTheDrawAndFinishesDisposing()
    {
        // A browser that never answers "react", as a tab closed mid-draw.
        var react = JSInterop.SetupModule().SetupVoid("react", _ => true);
        var first = Generation(1, [Point(16, 14, 0.8)], [Point(16, 14, 0.8)]);
        var cut = Render<ParetoChart>(p => p.Add(c => c.Generations, new[] { first }));
        cut.Render(p => p.Add(c => c.Generations, new[] { first, Generation(2, [Point(8, 7, 0.7)], [Point(16, 14, 0.8), Point(8, 7, 0.7)]) }));
        var pending = Assert.Single(react.Invocations);

        await AssertDisposesAsync();

        Assert.True(pending.CancellationToken?.IsCancellationRequested, "The pending redraw was not cancelled.");
    }

    [Fact]
    public async Task HypervolumeChart_DisposedWhileARedrawIsPending_CancelsTheDrawAndFinishesDisposing()
    {
        var react = JSInterop.SetupModule().SetupVoid("react", _ => true);
        var cut = Render<HypervolumeChart>(p => p.Add(c => c.Generations, new[] { Generation(1, [Point(8, 8, 0.5)], [Point(8, 8, 0.5)]) }));
        cut.Render(p => p.Add(c => c.Generations, Enumerable.Range(1, 2).Select(i => Generation(i, [Point(8, 8, 0.5)], [Point(8, 8, 0.5)])).ToArray()));
        var pending = Assert.Single(react.Invocations);

        await AssertDisposesAsync();

        Assert.True(pending.CancellationToken?.IsCancellationRequested, "The pending redraw was not cancelled.");
    }

    /// <summary>The layout a Plotly call sent to the browser, as the browser receives it (JSON).</summary>
    private static System.Text.Json.JsonElement SentLayout(JSRuntimeInvocation invocation) =>
        System.Text.Json.JsonSerializer.SerializeToElement(invocation.Arguments[2]);

    /// <summary>
    /// Plotly.Blazor's own DisposeAsync waits for a pending draw; on a real circuit, without the cancel, a closed tab's
    /// disposal never ended and held up the app's shutdown. The limit only keeps a regression from hanging the run.
    /// </summary>
    private async Task AssertDisposesAsync()
    {
        var disposal = DisposeComponentsAsync();
        var finished = await Task.WhenAny(disposal, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(finished == disposal, "Disposing the chart did not finish while a redraw was pending.");
        await disposal;
    }

    [Fact]
    public void ParetoChart_SharedValuesFrom3To900_LabelsOne2And5OfEveryDecade()
    {
        var front = new[] { Point(1024, 900, 0.9), Point(4, 3, 0.2) };

        var cut = Render<ParetoChart>(p => p.Add(c => c.Generations, new[] { Generation(1, front, front) }));

        var axis = cut.FindComponent<LivePlotlyChart>().Instance.Layout.XAxis[0];
        Assert.Equal(Plotly.Blazor.LayoutLib.XAxisLib.TickModeEnum.Array, axis.TickMode);
        Assert.Equal(new object[] { 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0 }, axis.TickVals);
        Assert.Equal(new object[] { "1", "2", "5", "10", "20", "50", "100", "200", "500", "1k" }, axis.TickText);
    }

    [Theory]
    [InlineData(120_000, 600_000, "100k,200k,500k,1M")]
    [InlineData(900, 40_000_000, "100,1k,10k,100k,1M,10M,100M")]
    [InlineData(1.5, 1.5, "1,2,5,10")]
    public void LogTicks_ValueRange_PowersOfTenWithTwoAndFiveUpToFourDecades(double low, double high, string expected)
    {
        var axis = new Plotly.Blazor.LayoutLib.XAxis();

        ChartLayouts.LogTicks(axis, [low, high]);

        Assert.Equal(expected, string.Join(",", axis.TickText));
    }
}
