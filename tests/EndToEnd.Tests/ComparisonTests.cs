using WeightShare.EndToEnd.Tests.Infrastructure;
using WeightShare.EndToEnd.Tests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WeightShare.EndToEnd.Tests;

/// <summary>Reading runs side by side and in real units: marked solutions, notes, and fronts overlaid on one chart.</summary>
public sealed class ComparisonTests(AppFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Compare_TwoFinishedRuns_OverlaidOnOneChartWithTheirNotes()
    {
        // Arrange: two short runs that differ in their largest k, each with notes given on its page.
        var first = await Fixture.Api.StartCnnRunAsync(population: 6, generations: 2, kMax: 32);
        var second = await Fixture.Api.StartCnnRunAsync(population: 6, generations: 2, kMax: 128);
        await Fixture.Api.WaitForStatusAsync(first, RunTimeout, "Succeeded");
        await Fixture.Api.WaitForStatusAsync(second, RunTimeout, "Succeeded");
        var run = await new RunPageObject(Page, first).GotoAsync();
        await new LayoutObject(Page).WaitInteractiveAsync();
        await run.Notes.FillAsync("k up to 32");
        await run.SaveNotes.ClickAsync();
        await Expect(run.SaveNotes).ToBeDisabledAsync();
        Assert.Equal("k up to 32", (string?)(await Fixture.Api.RunAsync(first))["notes"]);

        // Act: tick both in the runs list and compare.
        var runs = await new RunsPageObject(Page).GotoAsync();
        await Expect(runs.Row(first).GetByTestId("run-notes")).ToHaveTextAsync("k up to 32");
        await runs.Select(first).CheckAsync();
        await runs.Select(second).CheckAsync();
        await runs.CompareButton.ClickAsync();
        await Page.WaitForURLAsync("**/compare?runs=*");

        // Assert: one chart holds both runs' solutions (a line per run, each with its markers) and the table names both.
        var chart = Page.GetByTestId("overlay-chart");
        await Expect(chart).ToHaveAttributeAsync("data-runs", "2");
        var solutions = (await Fixture.Api.SolutionsAsync(first)).Count + (await Fixture.Api.SolutionsAsync(second)).Count;
        await Expect(Page.Locator("#overlay-chart .scatterlayer .trace")).Not.ToHaveCountAsync(0);
        await Expect(Page.Locator("#overlay-chart .scatterlayer .trace path.point")).ToHaveCountAsync(solutions);
        await Expect(Page.GetByTestId("compare-table").Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(Page.GetByTestId("compare-table")).ToContainTextAsync("k up to 32");
        await ScreenshotAsync("compare-runs");
        AssertNoErrors();
    }

    [Fact]
    public async Task RunPage_SolutionsAtChanceAndDominated_MarkedInTheTableAndOnTheChart()
    {
        // Arrange: every k from 2 to 9 kept as found (no merging): k = 2 guesses, and Huffman-coded sizes do not grow
        // with k everywhere, so some solution is beaten by a smaller file that is as accurate.
        var id = await Fixture.Api.StartCnnRunAsync(population: 8, generations: 2, kMin: 2, kMax: 9, merge: false);
        await Fixture.Api.WaitForStatusAsync(id, RunTimeout, "Succeeded");
        var solutions = await Fixture.Api.SolutionsAsync(id);
        var dominated = solutions.Count(s => (bool)s!["dominated"]!);
        var chance = solutions.Count(s => (bool)s!["atChanceLevel"]!);
        Output.WriteLine(string.Join("\n", solutions.Select(s => $"{s!["parameters"]!.ToJsonString()} bytes {s["compressedBytes"]} val {s["validationMetric"]} test {s["testAccuracy"]} dominated {s["dominated"]} chance {s["atChanceLevel"]}")));

        // Act
        var run = await new RunPageObject(Page, id).GotoAsync();

        // Assert: the table's chips and the chart's marked points are the API's, and the chart opens near the baseline.
        Assert.True(chance >= 1, "k = 2 was expected at chance level");
        Assert.True(dominated >= 1, "k = 4 (about 49 KB at 25 %) was expected beaten by k = 5 (about 42 KB at 31 %)");
        await Expect(run.SolutionRows.First).ToBeVisibleAsync();
        await Expect(run.ChanceLevelChips).ToHaveCountAsync(chance);
        await Expect(run.DominatedChips).ToHaveCountAsync(dominated);
        await Expect(run.ParetoChart).ToHaveAttributeAsync("data-chance", chance.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(run.ParetoChart).ToHaveAttributeAsync("data-dominated", solutions.Count(s => (bool)s!["dominated"]! && !(bool)s["atChanceLevel"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(Page.Locator("#pareto-chart .legendtext", new() { HasTextString = "At chance level" })).ToHaveCountAsync(1);
        var range = await run.ParetoChart.GetAttributeAsync("data-y-range");
        Assert.Matches(@"^\d+(\.\d+)?\.\.\d+(\.\d+)?$", range);
        AssertNoErrors();
    }
}
