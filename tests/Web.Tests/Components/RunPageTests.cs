using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using WeightShare.Jobs.Events;
using WeightShare.Web.Components.Pages.Run;
using WeightShare.Web.Live;
using WeightShare.Web.Tests.Infrastructure;

namespace WeightShare.Web.Tests.Components;

/// <summary>The live run page (/runs/{id}) rendered over the finished run's real storage and notifier.</summary>
[Collection(FinishedRunCollection.Name)]
public sealed class RunPageTests(FinishedRunFixture run) : ComponentTestBase
{
    [Fact]
    public void RunPage_UnknownId_ShowsTheNotFoundAlert()
    {
        UseAppServices(run.Factory.Services);

        var cut = Render<RunPage>(p => p.Add(c => c.Id, "no-such-run"));

        cut.WaitForAssertion(() => Assert.Contains("There is no run with id no-such-run", cut.Markup));
        Assert.Empty(cut.FindAll("[data-testid=pareto-chart]"));
    }

    [Fact]
    public async Task RunPage_FinishedRun_ShowsEverySolutionAndTheLastGeneration()
    {
        UseAppServices(run.Factory.Services);
        var solutions = await run.Client.GetJsonAsync($"/api/runs/{run.RunId}/solutions");
        var generations = await run.Client.GetJsonAsync($"/api/runs/{run.RunId}/generations");

        var cut = Render<RunPage>(p => p.Add(c => c.Id, run.RunId));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=solutions-table]")));
        Assert.Equal(solutions.GetArrayLength(), cut.FindAll("[data-testid=solutions-table] tbody tr").Count);
        Assert.Equal(solutions.GetArrayLength(), cut.FindAll("[data-testid=download-compressed]").Count);
        Assert.Equal("Succeeded", cut.Find("[data-testid=status]").TextContent.Trim());
        Assert.Equal(generations.GetArrayLength().ToString(CultureInfo.InvariantCulture), cut.Find("[data-testid=pareto-chart]").GetAttribute("data-generation"));
        Assert.Equal(generations.GetArrayLength().ToString(CultureInfo.InvariantCulture), cut.Find("[data-testid=hypervolume-chart]").GetAttribute("data-generations"));
        Assert.Contains("4 of 4", cut.Find("[data-testid=generation]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=cancel]"));
    }

    [Fact]
    public async Task RunPage_GenerationPublished_AddsItToTheChart()
    {
        UseAppServices(run.Factory.Services);
        var cut = Render<RunPage>(p => p.Add(c => c.Id, run.RunId));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=pareto-chart]")));
        var chart = cut.Find("[data-testid=pareto-chart]");
        var generation = int.Parse(chart.GetAttribute("data-generation")!, CultureInfo.InvariantCulture);
        var evaluated = int.Parse(chart.GetAttribute("data-evaluated")!, CultureInfo.InvariantCulture);
        // A k of 1000 lies outside the run's kMax of 64, so it cannot be among the points already drawn.
        var point = Samples.Point(1000, 900, 0.9);

        await run.Factory.Services.GetRequiredService<RunNotifier>().PublishAsync(run.RunId,
            new GenerationCompleted(run.RunId, generation + 1, generation + 1, 1.0, 99, 0, [point], [point]));

        cut.WaitForAssertion(() =>
        {
            var updated = cut.Find("[data-testid=pareto-chart]");
            Assert.Equal((generation + 1).ToString(CultureInfo.InvariantCulture), updated.GetAttribute("data-generation"));
            Assert.Equal((evaluated + 1).ToString(CultureInfo.InvariantCulture), updated.GetAttribute("data-evaluated"));
            Assert.Equal("1", updated.GetAttribute("data-front"));
        });
        Assert.Equal((generation + 1).ToString(CultureInfo.InvariantCulture), cut.Find("[data-testid=hypervolume-chart]").GetAttribute("data-generations"));
    }

    [Fact]
    public async Task RunPage_GenerationOfAnotherRunPublished_IgnoresIt()
    {
        UseAppServices(run.Factory.Services);
        var cut = Render<RunPage>(p => p.Add(c => c.Id, run.RunId));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=pareto-chart]")));
        var before = cut.Find("[data-testid=pareto-chart]").GetAttribute("data-generation");
        var point = Samples.Point(1000, 900, 0.9);

        await run.Factory.Services.GetRequiredService<RunNotifier>().PublishAsync("another-run",
            new GenerationCompleted("another-run", 50, 50, 1.0, 99, 0, [point], [point]));

        Assert.Equal(before, cut.Find("[data-testid=pareto-chart]").GetAttribute("data-generation"));
    }
}
