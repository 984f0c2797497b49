using System.Globalization;
using WeightShare.EndToEnd.Tests.Infrastructure;
using WeightShare.EndToEnd.Tests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WeightShare.EndToEnd.Tests;

/// <summary>Ending a search before its last generation, by the user ("Stop and keep") or by the early stop, as a user sees it.</summary>
public sealed class RunControlTests(AppFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task StopAndKeep_LongSearch_RunSucceedsWithTheSolutionsOfItsFront()
    {
        // Arrange: a search far too long to finish during the test, open on its page once it has a generation.
        const int generations = 1000;
        var id = await Fixture.Api.StartCnnRunAsync(population: 16, generations: generations, kMax: 1024);
        var run = await new RunPageObject(Page, id).GotoAsync();
        await new LayoutObject(Page).WaitInteractiveAsync();
        await Expect(run.ParetoChart).Not.ToHaveAttributeAsync("data-generation", "0", new() { Timeout = (float)RunTimeout.TotalMilliseconds });

        // Act
        await run.StopAndKeepButton.ClickAsync();

        // Assert: the run refines and finishes what it had and ends Succeeded with downloadable solutions; the search
        // ended long before its last generation; the button is gone once the search is over.
        await Expect(run.Status).ToHaveTextAsync("Succeeded", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        await Expect(run.SolutionRows.First).ToBeVisibleAsync();
        await Expect(run.StopAndKeepButton).ToHaveCountAsync(0);
        await Expect(run.Generation.Locator("h6")).ToContainTextAsync("(search stopped by request)");
        var stored = await Fixture.Api.RunAsync(id);
        Assert.True((bool)stored["stopSearchRequested"]!);
        Assert.InRange((int)stored["generation"]!, 1, generations - 1);
        Assert.Equal((await Fixture.Api.SolutionsAsync(id)).Count, await run.SolutionRows.CountAsync());
        AssertNoErrors();
    }

    [Fact]
    public async Task EarlyStop_FlatHypervolume_RunEndsLongBeforeItsLastGeneration()
    {
        // Arrange: seven values of k for a population of eight: the first generation already holds the whole front, so
        // the hypervolume never grows again, and an early stop of two generations ends the search at generation 3.
        const int generations = 50;
        var id = await Fixture.Api.StartCnnRunAsync(population: 8, generations: generations, kMin: 2, kMax: 8, patience: 2);

        // Act
        var run = await new RunPageObject(Page, id).GotoAsync();

        // Assert: the page shows the run done at generation 3 of 50 with its hypervolume flat over those generations.
        await Expect(run.Status).ToHaveTextAsync("Succeeded", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        await Expect(run.Generation.Locator("h6")).ToHaveTextAsync($"3 of {generations}");
        await Expect(run.HypervolumeChart).ToHaveAttributeAsync("data-generations", "3");
        var hypervolumes = (await Fixture.Api.GenerationsAsync(id)).Select(g => (double)g!["hypervolume"]!).ToArray();
        Assert.Equal(3, hypervolumes.Length);
        Assert.All(hypervolumes, h => Assert.Equal(hypervolumes[0], h, 1e-12));
        await Expect(run.SolutionRows.First).ToBeVisibleAsync();
        AssertNoErrors();
    }

    [Fact]
    public async Task Progress_RunningSearch_ShowsTheEvaluationWithinTheGenerationAndAnEstimate()
    {
        // Arrange: a run whose generations take a few seconds each.
        var id = await Fixture.Api.StartCnnRunAsync(population: 16, generations: 1000, kMax: 1024, validationSamples: 1000);
        var run = await new RunPageObject(Page, id).GotoAsync();
        await new LayoutObject(Page).WaitInteractiveAsync();

        try
        {
            // Assert: the progress line names the evaluation within the generation, the estimate is a duration, and the
            // status chip names the phase the page shows.
            await Expect(run.ProgressCaption).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"Generation \d+ of 1000: evaluation \d+ of \d+"), new() { Timeout = (float)RunTimeout.TotalMilliseconds });
            await Expect(run.Eta.Locator("h6")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"\d"));
            await Expect(run.Status).ToHaveTextAsync("Running · search");
            await Expect(run.Phase.Locator("h6")).ToHaveTextAsync("Search");
            var caption = (await run.ProgressCaption.InnerTextAsync()).Trim();
            var percent = int.Parse(caption[..caption.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            Assert.InRange(percent, 0, 50);
        }
        finally
        {
            await run.CancelAsync();
            await Fixture.Api.WaitForStatusAsync(id, RunTimeout, RunsApi.FinalStatuses);
        }
        AssertNoErrors();
    }
}
