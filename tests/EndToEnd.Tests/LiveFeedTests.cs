using WeightShare.EndToEnd.Tests.Infrastructure;
using WeightShare.EndToEnd.Tests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WeightShare.EndToEnd.Tests;

/// <summary>
/// Issue 24's blank chart: a run started from the new-run page and watched in the same tab, never reloaded. The
/// default codec searches bytes, so the chart's x axis changes with the first generation (the case that drew nothing).
/// </summary>
public sealed class LiveFeedTests(AppFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task NewRunPage_BytesRunWatchedWithoutReload_ChartGainsPointsAndThroughputTurnsIntoANumber()
    {
        // Arrange: a small search with calibration off, so the search is most of the run; 900 validation samples keep
        // each generation long enough (a second or more) for the page to be watched between two of them.
        var newRun = await new NewRunPageObject(Page).GotoAsync();
        await newRun.ChoosePresetAsync("Fashion-MNIST");
        await newRun.SetSettingsAsync(validationSamples: 900, population: 8, generations: 8, kMin: 4, kMax: 512);
        await newRun.SetNumberAsync("calibration-budget", 0);
        await newRun.SetNumberAsync("patience", 0);
        await newRun.UploadModelAsync(FixtureFiles.CnnModel);
        await newRun.UploadDatasetAsync(FixtureFiles.Images, FixtureFiles.Labels);
        await Expect(newRun.StartButton).ToBeEnabledAsync();

        // Act
        var run = await newRun.StartAsync();
        var watched = await LiveChart.WatchAsync(run, TimeSpan.FromMinutes(3));
        Output.WriteLine(string.Join("\n", watched.Seen));

        // Assert: two generations apart, more points counted and more drawn; throughput changed live (from "—"
        // or a first rate) to a rate during the search; the axis names what it shows, live as after a reload.
        LiveChart.AssertGrew(watched);
        await Expect(run.Status).ToHaveTextAsync("Succeeded", new() { Timeout = 180_000 });
        await Expect(run.ParetoXTitle).ToContainTextAsync(".wsz file size");
        var live = await run.ReadParetoChartAsync();
        await run.ReloadAsync();
        await Expect(run.ParetoMarkers).ToHaveCountAsync(live.Markers);
        AssertNoErrors();
    }
}
