using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace WeightShare.EndToEnd.Tests.Pages;

/// <summary>The live run page at /runs/{id}.</summary>
public sealed class RunPageObject(IPage page, string id)
{
    public string Id { get; } = id;

    public ILocator Status => page.GetByTestId("status");

    public ILocator Phase => page.GetByTestId("phase");

    public ILocator Generation => page.GetByTestId("generation");

    public ILocator Evaluations => page.GetByTestId("evaluations");

    /// <summary>The baseline figure's value, "validation % / test %".</summary>
    public ILocator Baseline => page.GetByTestId("baseline").Locator("h6");

    public ILocator ProgressBar => page.GetByTestId("progress-bar");

    public ILocator ParetoChart => page.GetByTestId("pareto-chart");

    /// <summary>Every marker Plotly drew in the Pareto chart, over all its traces.</summary>
    public ILocator ParetoMarkers => page.Locator("#pareto-chart .scatterlayer .trace path.point");

    /// <summary>The whiskers Plotly drew for the final solutions' validation intervals.</summary>
    public ILocator ParetoWhiskers => page.Locator("#pareto-chart .errorbar path.yerror");

    /// <summary>The loss-against-the-original captions under the solutions' validation figures.</summary>
    public ILocator ValidationLosses => SolutionsTable.GetByTestId("validation-loss");

    public ILocator HypervolumeChart => page.GetByTestId("hypervolume-chart");

    /// <summary>The Pareto chart's x axis title as Plotly drew it.</summary>
    public ILocator ParetoXTitle => page.Locator("#pareto-chart .xtitle");

    public ILocator SolutionsTable => page.GetByTestId("solutions-table");

    public ILocator SolutionRows => SolutionsTable.Locator("tbody tr");

    public ILocator CancelButton => page.GetByTestId("cancel");

    public ILocator StopAndKeepButton => page.GetByTestId("stop-and-keep");

    /// <summary>The confirmation Cancel asks for.</summary>
    public ILocator CancelDialog => page.GetByRole(AriaRole.Dialog);

    /// <summary>What a canceled run says in place of its progress: where it stopped and what it kept.</summary>
    public ILocator CanceledNote => page.GetByTestId("canceled");

    /// <summary>The Pareto chart's x tick labels as Plotly drew them.</summary>
    public ILocator ParetoXTicks => page.Locator("#pareto-chart .xtick text");

    /// <summary>The hover label Plotly shows for the point under the pointer (or the one a table row points at).</summary>
    public ILocator ParetoHoverLabel => page.Locator("#pareto-chart .hoverlayer .hovertext");

    /// <summary>Table rows that the chart's hover marks as its point's.</summary>
    public ILocator LinkedRows => SolutionsTable.Locator("tbody tr[data-linked]");

    /// <summary>Clicks Cancel and confirms it in the dialog.</summary>
    public async Task CancelAsync()
    {
        await CancelButton.ClickAsync();
        await CancelDialog.GetByRole(AriaRole.Button, new() { Name = "Cancel the run" }).ClickAsync();
    }

    /// <summary>The line under the progress bar: percentage and the pipeline's latest message.</summary>
    public ILocator ProgressCaption => page.GetByTestId("progress-caption");

    public ILocator Eta => page.GetByTestId("eta");

    /// <summary>The throughput figure's value: "—" until the search has measured one, then "n evaluations/s".</summary>
    public ILocator Throughput => page.GetByTestId("throughput").Locator("h6");

    public ILocator Notes => page.Locator("input[data-testid=notes], textarea[data-testid=notes], [data-testid=notes] input").First;

    public ILocator SaveNotes => page.GetByTestId("save-notes");

    public ILocator DominatedChips => SolutionsTable.GetByTestId("dominated");

    public ILocator ChanceLevelChips => SolutionsTable.GetByTestId("chance-level");

    public ILocator ExportSolutions => page.GetByTestId("export-solutions");

    public ILocator ExportEvaluations => page.GetByTestId("export-evaluations");

    public ILocator CompressedBytes(int row) => SolutionRows.Nth(row).GetByTestId("compressed-bytes");

    public ILocator DownloadCompressed(int row) => SolutionRows.Nth(row).GetByTestId("download-compressed");

    public ILocator DownloadCheckpoint(int row) => SolutionRows.Nth(row).GetByTestId("download-checkpoint");

    public async Task<RunPageObject> GotoAsync()
    {
        await page.GotoAsync($"/runs/{Id}");
        return this;
    }

    public async Task ReloadAsync() => await page.ReloadAsync();

    /// <summary>What the Pareto chart shows right now: the container's figures and the markers Plotly drew.</summary>
    public async Task<ParetoChartState> ReadParetoChartAsync() => new(
        await IntAttributeAsync(ParetoChart, "data-generation"),
        await IntAttributeAsync(ParetoChart, "data-evaluated"),
        await IntAttributeAsync(ParetoChart, "data-front"),
        await ParetoMarkers.CountAsync());

    /// <summary>Clicks a download button and saves the file it starts under <paramref name="directory"/>.</summary>
    public async Task<string> DownloadAsync(ILocator button, string directory)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => button.ClickAsync());
        var path = Path.Combine(directory, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        return path;
    }

    /// <summary>The time left the page shows ("at most 1 h 2 min", "3 min 4 s", "45 s"); null for "–".</summary>
    public async Task<TimeSpan?> ReadEtaAsync()
    {
        var text = (await Eta.Locator("h6").InnerTextAsync()).Trim();
        var match = Regex.Match(text, @"^(?:at most )?(?:(\d+) h )?(?:(\d+) min ?)?(?:(\d+) s)?$");
        if (!match.Success || text.Length == 0 || !text.Any(char.IsDigit))
        {
            return null;
        }
        int Part(int group) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        return new TimeSpan(Part(1), Part(2), Part(3));
    }

    private static async Task<int> IntAttributeAsync(ILocator locator, string name) =>
        int.Parse(await locator.GetAttributeAsync(name) ?? "-1", CultureInfo.InvariantCulture);
}
