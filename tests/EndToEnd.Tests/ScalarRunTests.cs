using System.Globalization;
using WeightShare.EndToEnd.Tests.Infrastructure;
using WeightShare.EndToEnd.Tests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WeightShare.EndToEnd.Tests;

/// <summary>
/// The default codec through the browser: a run that speaks bytes and calibrates, and its files. Its pages, as the test
/// drives them, are README's screenshots of the new-run page and the run page.
/// </summary>
public sealed class ScalarRunTests(AppFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task NewRun_DefaultCodec_ChartInBytesACalibratedSolutionAndItsFile()
    {
        // Arrange: the new run page with its default codec, a small search and one short calibration.
        var newRun = await new NewRunPageObject(Page).GotoAsync();
        await newRun.ChoosePresetAsync("Fashion-MNIST");
        await Expect(Page.GetByTestId("codec")).ToContainTextAsync("scalar ·");
        await newRun.SetSettingsAsync(validationSamples: 300, population: 8, generations: 3, kMin: 6, kMax: 40);
        await newRun.SetNumberAsync("calibration-steps", 30);
        await newRun.SetNumberAsync("calibration-budget", 1);
        await newRun.SetNumberAsync("target-loss", 1);

        // Act
        await newRun.UploadModelAsync(FixtureFiles.CnnModel);
        await newRun.UploadDatasetAsync(FixtureFiles.Images, FixtureFiles.Labels);
        await Expect(newRun.StartButton).ToBeEnabledAsync();
        await ReadmeScreenshotAsync("new-run-page");
        var run = await newRun.StartAsync();

        // Assert: the run ends with the chart's x axis in bytes and a calibrated solution among the rows.
        await Expect(run.Status).ToHaveTextAsync("Succeeded", new() { Timeout = 180_000 });
        await Expect(run.ParetoXTitle).ToContainTextAsync("file size");
        await Expect(run.SolutionsTable.GetByText("calibrated", new() { Exact = true })).ToHaveCountAsync(1);
        await Expect(run.SolutionRows.First).ToBeVisibleAsync();
        await Expect(Page.Locator("#pareto-chart .scatterlayer .trace path.point").First).ToBeVisibleAsync();
        await ReadmeScreenshotAsync("run-page");

        var downloads = Directory.CreateTempSubdirectory("wsw-e2e-scalar-").FullName;
        try
        {
            var tableBytes = long.Parse(await run.CompressedBytes(0).GetAttributeAsync("data-bytes") ?? "", CultureInfo.InvariantCulture);
            var wsz = await run.DownloadAsync(run.DownloadCompressed(0), downloads);
            Assert.Equal(tableBytes, new FileInfo(wsz).Length);
        }
        finally
        {
            Directory.Delete(downloads, recursive: true);
        }
        AssertNoErrors();
    }
}
