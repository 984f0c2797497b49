using WeightShare.EndToEnd.Tests.Infrastructure;
using WeightShare.EndToEnd.Tests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WeightShare.EndToEnd.Tests;

/// <summary>The run page over runs started through the API: what it shows live against what it shows from storage.</summary>
public sealed class RunPageTests(AppFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Reload_AfterTheRunFinishedLive_ShowsTheSameSolutionsAndGenerations()
    {
        // Arrange: a short run, watched from its start until it finishes on the open page.
        const int generations = 5;
        var api = Fixture.Api;
        var id = await api.StartCnnRunAsync(population: 8, generations: generations, kMax: 64);
        var run = await new RunPageObject(Page, id).GotoAsync();
        await Expect(run.Status).ToHaveTextAsync("Succeeded", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        await Expect(run.SolutionRows.First).ToBeVisibleAsync();
        var solutions = (await api.SolutionsAsync(id)).Count;
        var liveRows = await run.SolutionRows.CountAsync();
        var liveGeneration = (await run.Generation.InnerTextAsync()).Trim();
        var liveChart = await run.ReadParetoChartAsync();

        // Act
        await run.ReloadAsync();

        // Assert: the stored run reads as the live one did, and both match the API.
        await Expect(run.Status).ToHaveTextAsync("Succeeded");
        await Expect(run.SolutionRows).ToHaveCountAsync(liveRows);
        await Expect(run.Generation).ToHaveTextAsync(liveGeneration);
        await Expect(run.ParetoMarkers).ToHaveCountAsync(liveChart.Markers);
        Assert.Equal(liveChart, await run.ReadParetoChartAsync());
        Assert.Equal(solutions, liveRows);
        Assert.EndsWith($"{generations} of {generations}", liveGeneration, StringComparison.Ordinal);
        AssertNoErrors();
    }

    [Fact]
    public async Task TimeLeft_FromGenerationThreeOfARunThatStopsEarly_IsWithinAFactorOfTwoOfTheTimeItThenTook()
    {
        // Arrange: a scalar run without calibration whose hypervolume flattens within a few generations (patience 3),
        // watched from its start; its budget of 60 generations is many times what it runs. Its evaluations are long
        // enough (1,500 validation samples, population 16) that the rest of the run takes tens of seconds: with a few
        // seconds left, the page's one-second rounding and its lag behind the run decide the ratio, not the estimate.
        const int generations = 60;
        var id = await Fixture.Api.StartCnnRunAsync(population: 16, generations: generations, kMax: 64, validationSamples: 1500, kMin: 4, patience: 3, codec: "scalar", calibrationSamples: 0);
        var run = await new RunPageObject(Page, id).GotoAsync();
        // The first generation of three or more the page shows: on a busy machine one render may take several
        // generations at once (CI beside four other test assemblies once went from "1 of 60" straight to "12 of 60").
        var (reached, timeline) = await WaitForGenerationAsync(run, atLeast: 3, TimeSpan.FromMinutes(4));
        var status = (await run.Status.InnerTextAsync()).Trim();
        Assert.True(status.StartsWith("Running", StringComparison.Ordinal), $"The run was {status} when the page first showed generation {reached} or more: {timeline}");
        await Expect(run.Eta.Locator("h6")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"\d"));
        var shown = await run.ReadEtaAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Act
        await Expect(run.Status).ToHaveTextAsync("Succeeded", new() { Timeout = (float)TimeSpan.FromMinutes(4).TotalMilliseconds });
        var took = clock.Elapsed;

        // Assert: the search stopped early, and what the page said at that generation is within a factor of two of it.
        var stopped = (int)(await Fixture.Api.RunAsync(id))["generation"]!;
        Output.WriteLine($"the page went {timeline}; at generation {reached} it said {shown}; the run then took {took} and stopped after generation {stopped}");
        Assert.NotNull(shown);
        Assert.InRange(stopped, Math.Max(4, reached), generations - 1);
        Assert.InRange(shown.Value.TotalSeconds, took.TotalSeconds / 2, took.TotalSeconds * 2);
        AssertNoErrors();
    }

    /// <summary>
    /// Reads the page's generation figure every tenth of a second until it is at least <paramref name="atLeast"/>; returns
    /// the generation it then showed and every figure it showed on the way, with the second it first appeared.
    /// </summary>
    private static async Task<(int Generation, string Timeline)> WaitForGenerationAsync(RunPageObject run, int atLeast, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var seen = new List<string>();
        var last = "";
        while (true)
        {
            var text = (await run.Generation.Locator("h6").InnerTextAsync()).Trim();
            if (text != last)
            {
                seen.Add($"\"{text}\" at {clock.Elapsed.TotalSeconds:F1} s");
                last = text;
            }
            var match = System.Text.RegularExpressions.Regex.Match(text, @"^(\d+) of ");
            if (match.Success && int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var generation && generation >= atLeast)
            {
                return (generation, string.Join(", ", seen));
            }
            Assert.True(clock.Elapsed < timeout, $"The page showed no generation of {atLeast} or more within {timeout}: {string.Join(", ", seen)}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task FinishedRun_ValidationIntervals_AreWhiskersOnTheChartAndCaptionsInTheTable()
    {
        // Arrange: a short finished accuracy run: every finished solution has a validation interval.
        var id = await Fixture.Api.StartCnnRunAsync(population: 6, generations: 2, kMax: 32);
        await Fixture.Api.WaitForStatusAsync(id, RunTimeout, "Succeeded");
        var solutions = (await Fixture.Api.SolutionsAsync(id)).Count;

        // Act
        var run = await new RunPageObject(Page, id).GotoAsync();
        await Expect(run.SolutionRows.First).ToBeVisibleAsync();

        // Assert: one caption per solution, and the chart's star markers carry whiskers (at chance level ones are drawn apart, without).
        await Expect(run.ValidationLosses).ToHaveCountAsync(solutions);
        await Expect(run.ValidationLosses.First).ToContainTextAsync(" pt [");
        await Expect(run.ParetoWhiskers.First).ToBeAttachedAsync();
        Assert.InRange(await run.ParetoWhiskers.CountAsync(), 1, solutions);
        AssertNoErrors();
    }

    [Fact]
    public async Task SolutionsTable_At800PixelsWide_EveryColumnAndDownloadReachable()
    {
        // Arrange: a short finished run, on a window 800 pixels wide.
        var id = await Fixture.Api.StartCnnRunAsync(population: 6, generations: 2, kMax: 32);
        await Fixture.Api.WaitForStatusAsync(id, RunTimeout, "Succeeded");
        await Page.SetViewportSizeAsync(800, 900);
        var run = await new RunPageObject(Page, id).GotoAsync();
        await new LayoutObject(Page).WaitInteractiveAsync();
        await Expect(run.SolutionRows.First).ToBeVisibleAsync();

        // Act: a user scrolls the table (not the page) to its last column. The circuit may still re-render the table
        // once after its first interactive render; a scroll that meets a replaced row tries again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await run.DownloadCheckpoint(0).ScrollIntoViewIfNeededAsync();
                break;
            }
            catch (Microsoft.Playwright.PlaywrightException) when (attempt < 5)
            {
                await Task.Delay(200);
            }
        }

        // Assert: the download sits wholly inside the window and the page itself does not scroll sideways.
        var box = await run.DownloadCheckpoint(0).BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.InRange(box.X, 0, 800 - box.Width);
        Assert.True(await Page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The page scrolls sideways at 800 px.");
        await Expect(run.DownloadCheckpoint(0)).ToBeVisibleAsync();
        await Expect(run.SolutionsTable.Locator("th").Last).ToContainTextAsync("Download");
        AssertNoErrors();
    }

    [Fact]
    public async Task SolutionsTable_At1280PixelsWide_FitsWithoutSidewaysScroll()
    {
        // Arrange: a short finished run, on a window 1280 pixels wide.
        var id = await Fixture.Api.StartCnnRunAsync(population: 6, generations: 2, kMax: 32);
        await Fixture.Api.WaitForStatusAsync(id, RunTimeout, "Succeeded");
        await Page.SetViewportSizeAsync(1280, 900);

        // Act
        var run = await new RunPageObject(Page, id).GotoAsync();
        await new LayoutObject(Page).WaitInteractiveAsync();
        await Expect(run.DownloadCheckpoint(0)).ToBeVisibleAsync();

        // Assert: the table's scrolling container is as wide as what it holds, and the last column is in the window.
        var widths = await run.SolutionsTable.Locator(".mud-table-container").EvaluateAsync<int[]>("e => [e.scrollWidth, e.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"The table is {widths[0]} px wide in {widths[1]} px.");
        var box = await run.DownloadCheckpoint(0).BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.InRange(box.X + box.Width, 0, 1280);
        AssertNoErrors();
    }

    [Fact]
    public async Task ParetoChart_FinishedRun_ReadableLogTicksAndMarkersLinkedToTheirRows()
    {
        // Arrange: a short finished run.
        var run = await OpenShortFinishedRunAsync();
        // The first star of the final solutions (those at chance level can lie below the range the chart opens on).
        await Expect(run.ParetoXTicks.First).ToBeAttachedAsync();
        var marker = await Page.EvaluateAsync<int>("() => document.getElementById('pareto-chart').data.findIndex(t => t.name === 'Final solutions')");
        var label = await Page.EvaluateAsync<string>($"() => String(document.getElementById('pareto-chart').data[{marker}].customdata[0])");
        var row = run.SolutionRows.Filter(new() { Has = Page.Locator($"td[data-solution-label='{label}']") });

        // Assert: every x tick reads as a number in full: 1, 2 or 5 times a power of ten, with k or M for thousands and millions.
        var ticks = await run.ParetoXTicks.AllTextContentsAsync();
        Assert.All(ticks, tick => Assert.Matches(@"^[125]0*[kMG]?$", tick));

        // Act and assert: a row points at its marker (the chart's hover label names the row's genes) ...
        await row.HoverAsync();
        await Expect(run.ParetoHoverLabel.First).ToContainTextAsync($"({label})");
        await Expect(run.LinkedRows).ToHaveCountAsync(1);

        // ... and leaving the table lets go; hovering the marker itself marks its row. Plotly's markers take no pointer
        // events themselves (its drag layer does): the pointer goes to the marker's centre unchecked.
        await Page.Locator("h4").First.HoverAsync();
        await Expect(run.LinkedRows).ToHaveCountAsync(0);
        await Page.Locator("#pareto-chart .scatterlayer .trace").Nth(marker).Locator("path.point").First.HoverAsync(new() { Force = true });
        await Expect(run.LinkedRows).ToHaveCountAsync(1);
        await Expect(run.LinkedRows.GetByTestId("solution-parameters")).ToHaveTextAsync(label);
        AssertNoErrors();
    }

    [Fact]
    public async Task ExportButtons_FinishedRun_DownloadTheSolutionsAndEveryEvaluationAsCsv()
    {
        // Arrange
        var run = await OpenShortFinishedRunAsync();
        var directory = Directory.CreateTempSubdirectory("wsw-csv-").FullName;

        try
        {
            // Act
            var solutions = await File.ReadAllLinesAsync(await run.DownloadAsync(run.ExportSolutions, directory));
            var evaluations = await File.ReadAllLinesAsync(await run.DownloadAsync(run.ExportEvaluations, directory));

            // Assert: a header and one row per table row; every generation's members.
            Assert.StartsWith("id,codec,k,sharedValues,validationMetric", solutions[0], StringComparison.Ordinal);
            Assert.Equal(await run.SolutionRows.CountAsync(), solutions.Length - 1);
            Assert.Equal("generation,k,sharedValues,validationMetric,bytes,inFront,validationSamplesUsed", evaluations[0]);
            Assert.Equal(2 * 6, evaluations.Length - 1);
            // A run without racing measures every evaluation on the whole validation split.
            Assert.Single(evaluations.Skip(1).Select(line => line.Split(',')[^1]).Distinct());
            Assert.True(int.Parse(evaluations[1].Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture) > 0, evaluations[1]);
            AssertNoErrors();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Cancel_LongRunningRunConfirmed_ReachesCanceledAndSaysSoAfterAReload()
    {
        // Arrange: a run far too long to finish during the test, open on its page once it searches.
        const int generations = 1000;
        var api = Fixture.Api;
        var id = await api.StartCnnRunAsync(population: 16, generations: generations, kMax: 1024);
        var run = await new RunPageObject(Page, id).GotoAsync();
        await Expect(run.Status).ToHaveTextAsync("Running · search", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        await Expect(run.Generation.Locator("h6")).Not.ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^0 of"), new() { Timeout = (float)RunTimeout.TotalMilliseconds });

        // Act: Cancel asks first; keeping the run leaves it running, confirming cancels it.
        await run.CancelButton.ClickAsync();
        await Expect(run.CancelDialog).ToContainTextAsync("makes no solutions");
        await run.CancelDialog.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Keep it running" }).ClickAsync();
        await Expect(run.CancelDialog).ToHaveCountAsync(0);
        Assert.Equal("Running", (string?)(await api.RunAsync(id))["status"]);
        await run.CancelAsync();

        // Assert: the page follows the run to Canceled and offers no cancel any more; the API agrees it stopped early.
        await Expect(run.Status).ToHaveTextAsync("Canceled", new() { Timeout = 30_000 });
        await Expect(run.CancelButton).ToHaveCountAsync(0);
        var stored = await api.WaitForStatusAsync(id, TimeSpan.FromSeconds(5), RunsApi.FinalStatuses);
        Assert.Equal("Canceled", (string?)stored["status"]);
        Assert.True((int)stored["generation"]! < generations);

        // After a reload the page says where the run stopped and what it kept, with no percentage and no promise of a front.
        await run.ReloadAsync();
        await Expect(run.Status).ToHaveTextAsync("Canceled");
        await Expect(run.Phase.Locator("h6")).ToHaveTextAsync("Canceled in search");
        await Expect(run.CanceledNote).ToContainTextAsync($"after generation {(int)stored["generation"]!} of {generations}: it made no solutions");
        await Expect(run.ProgressCaption).ToHaveCountAsync(0);
        await Expect(run.ProgressBar).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("no-solutions")).ToHaveTextAsync("No solutions: the run was canceled (see above).");
        AssertNoErrors();
    }

    /// <summary>Runs a short search (two generations of six) to its end and opens its page, interactive, with its solutions shown.</summary>
    private async Task<RunPageObject> OpenShortFinishedRunAsync()
    {
        var id = await Fixture.Api.StartCnnRunAsync(population: 6, generations: 2, kMax: 32);
        await Fixture.Api.WaitForStatusAsync(id, RunTimeout, "Succeeded");
        var run = await new RunPageObject(Page, id).GotoAsync();
        await new LayoutObject(Page).WaitInteractiveAsync();
        await Expect(run.SolutionRows.First).ToBeVisibleAsync();
        return run;
    }
}
