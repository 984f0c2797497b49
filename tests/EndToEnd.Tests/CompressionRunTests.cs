using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using WeightShare.EndToEnd.Tests.Infrastructure;
using WeightShare.EndToEnd.Tests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WeightShare.EndToEnd.Tests;

/// <summary>The issue's acceptance: from the runs list through uploads and a live run to the downloaded files.</summary>
public sealed class CompressionRunTests(AppFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    // SmallCnn in tests/fixtures/make_fixtures.py: conv 1→16 and 16→32 (3×3, bias), two BatchNorms (weight, bias),
    // fc 1568→128 and 128→10 (bias). Buffers such as running means are not parameters.
    private const int Generations = 30;

    private const long CnnParameters = (1 * 16 * 9 + 16) + (2 * 16) + (16 * 32 * 9 + 32) + (2 * 32) + (32 * 7 * 7 * 128 + 128) + (128 * 10 + 10);

    [Fact]
    public async Task NewRun_CnnAndFashionMnistStarted_ChartGrowsLiveAndDownloadsMatchTheTable()
    {
        // Arrange: the runs list, then the new run page with the preset chosen before the data goes up.
        var runs = await new RunsPageObject(Page).GotoAsync();
        var newRun = await runs.ClickNewRunAsync();
        await newRun.ChoosePresetAsync("Fashion-MNIST");
        // The paper's codec, whose search runs every generation it is given.
        await newRun.ChooseCodecAsync("paper");
        // Long enough (new k values keep coming from 2..256, each measured on 1,000 samples) that the chart grows while
        // watched even on a loaded machine whose browser draws its first chart late.
        await newRun.SetSettingsAsync(validationSamples: 1000, population: 8, generations: Generations, kMin: 2, kMax: 256);

        // Act: both uploads through the drop zones' file inputs.
        await newRun.UploadModelAsync(FixtureFiles.CnnModel);
        await newRun.UploadDatasetAsync(FixtureFiles.Images, FixtureFiles.Labels);

        // Assert: the summaries describe the fixture files.
        await Expect(NewRunPageObject.SummaryValue(newRun.ModelSummary, "Format")).ToHaveTextAsync("torchscript");
        await Expect(NewRunPageObject.SummaryValue(newRun.ModelSummary, "Parameters")).ToHaveTextAsync(CnnParameters.ToString("N0", CultureInfo.InvariantCulture));
        await Expect(NewRunPageObject.SummaryValue(newRun.DatasetSummary, "Format")).ToHaveTextAsync("idx");
        await Expect(NewRunPageObject.SummaryValue(newRun.DatasetSummary, "Samples")).ToHaveTextAsync("2,000");
        await Expect(NewRunPageObject.SummaryValue(newRun.DatasetSummary, "Classes")).ToHaveTextAsync("10");
        await Expect(NewRunPageObject.SummaryValue(newRun.DatasetSummary, "Sample shape")).ToHaveTextAsync("[1 × 28 × 28]");
        await Expect(newRun.StartButton).ToBeEnabledAsync();
        await ScreenshotAsync("1-new-run-with-summaries");

        // Act: start; the app navigates to the run's page.
        var run = await newRun.StartAsync();

        // Assert: while the search runs, the Pareto chart gains points at least twice.
        var (first, later, baseline) = await WatchChartGrowAsync(run, TimeSpan.FromSeconds(90));
        Output.WriteLine($"Chart while running: {first} then {later}; baseline figure '{baseline}'");
        Assert.True(later.Generation > first.Generation, $"generation {first.Generation} then {later.Generation}");
        Assert.True(later.Evaluated > first.Evaluated, $"evaluated points {first.Evaluated} then {later.Evaluated}");
        Assert.True(later.Markers > first.Markers, $"markers drawn {first.Markers} then {later.Markers}");
        // The baseline is measured before generation 1, so by generation 2 the page must show it, not "– / –".
        Assert.Matches(@"^\d+\.\d\d % / \d+\.\d\d %$", baseline);
        await ScreenshotAsync("2-run-page-mid-run");

        // Assert: the run ends well, with its generations done and a table of solutions.
        await Expect(run.Status).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
        await Expect(run.Generation).ToContainTextAsync($"{Generations} of {Generations}");
        await Expect(run.SolutionRows.First).ToBeVisibleAsync();
        await Expect(run.DownloadCompressed(0)).ToBeVisibleAsync();
        var rows = await run.SolutionRows.CountAsync();
        Assert.True(rows > 0);
        var final = await run.ReadParetoChartAsync();
        Assert.True(final.Markers >= later.Markers, $"markers drawn {later.Markers} mid-run, {final.Markers} at the end");
        await ScreenshotAsync("3-run-page-finished");

        // Act: download the first solution's compressed file and checkpoint through the page's buttons.
        var downloads = Directory.CreateTempSubdirectory("wsw-e2e-downloads-").FullName;
        try
        {
            var cell = run.CompressedBytes(0);
            var tableBytes = long.Parse(await cell.GetAttributeAsync("data-bytes") ?? "", CultureInfo.InvariantCulture);
            var tableText = (await cell.InnerTextAsync()).Trim();
            var wsz = await run.DownloadAsync(run.DownloadCompressed(0), downloads);
            var checkpoint = await run.DownloadAsync(run.DownloadCheckpoint(0), downloads);

            // Assert: the .wsz is as large as the table says, in bytes and in its rounded text; the checkpoint is a zip (TorchScript).
            Assert.EndsWith(".wsz", wsz, StringComparison.Ordinal);
            var wszBytes = new FileInfo(wsz).Length;
            Assert.Equal(tableBytes, wszBytes);
            AssertRoundedBytes(tableText, wszBytes);
            var head = new byte[2];
            await using (var stream = File.OpenRead(checkpoint))
            {
                await stream.ReadExactlyAsync(head);
            }
            Assert.Equal("PK"u8.ToArray(), head);
        }
        finally
        {
            Directory.Delete(downloads, recursive: true);
        }

        // Assert: the runs list shows the finished run, Plotly came from the package's static assets, and nothing
        // failed in the browser on the way.
        var list = await new RunsPageObject(Page).GotoAsync();
        await Expect(list.Table.GetByTestId("status")).ToHaveTextAsync(["Succeeded"]);
        AssertLoaded("/_content/Plotly.Blazor/plotly-");
        AssertNoErrors();
    }

    /// <summary>
    /// Polls the chart until it has points, then until it shows a later generation with more points and more markers,
    /// both while the status chip still says the run is in progress. Fails when the run ends or time runs out first.
    /// </summary>
    private static async Task<(ParetoChartState First, ParetoChartState Later, string Baseline)> WatchChartGrowAsync(RunPageObject run, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        ParetoChartState? first = null;
        var seen = new List<string>();
        while (clock.Elapsed < timeout)
        {
            var status = (await run.Status.InnerTextAsync()).Trim();
            var state = await run.ReadParetoChartAsync();
            var statusAfter = (await run.Status.InnerTextAsync()).Trim();
            seen.Add($"{status}: {state}");
            if (status is "Succeeded" or "Failed" or "Canceled" || statusAfter is "Succeeded" or "Failed" or "Canceled")
            {
                break;
            }
            if (first is null && state.Markers > 0 && state.Generation > 0)
            {
                first = state;
            }
            else if (first is not null && state.Generation > first.Generation && state.Evaluated > first.Evaluated && state.Markers > first.Markers)
            {
                return (first, state, (await run.Baseline.InnerTextAsync()).Trim());
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException("The Pareto chart did not gain points twice while the run was in progress. Seen:\n"
            + string.Join("\n", seen.Distinct()));
    }

    /// <summary>The table rounds to one decimal of KiB or MiB (or shows bytes): the file's size must round to the same.</summary>
    private static void AssertRoundedBytes(string text, long bytes)
    {
        var parts = text.Split(' ');
        Assert.Equal(2, parts.Length);
        var number = double.Parse(parts[0], CultureInfo.InvariantCulture);
        var unit = parts[1] switch
        {
            "B" => 1.0,
            "KiB" => 1024.0,
            "MiB" => 1024.0 * 1024,
            _ => throw new Xunit.Sdk.XunitException($"Unknown unit in '{text}'."),
        };
        Assert.True(Math.Abs(number * unit - bytes) <= 0.05 * unit, $"'{text}' does not round {bytes} bytes");
    }
}
