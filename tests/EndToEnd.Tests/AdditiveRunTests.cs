using System.Diagnostics;
using System.Globalization;
using WeightShare.EndToEnd.Tests.Infrastructure;
using WeightShare.EndToEnd.Tests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WeightShare.EndToEnd.Tests;

/// <summary>
/// The additive codec (arXiv 2111.10320) through the browser like any other: its front grows on the live page, the
/// progress line counts the fine-tuning's steps, and a fine-tuned solution's file downloads.
/// </summary>
public sealed class AdditiveRunTests(AppFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task NewRun_AdditiveCodec_FrontGrowsFineTuningStepsShowAndAFineTunedFileDownloads()
    {
        // Arrange: the additive codec, a small search and one fine-tuning long enough to be watched.
        var newRun = await new NewRunPageObject(Page).GotoAsync();
        await newRun.ChoosePresetAsync("Fashion-MNIST");
        await newRun.ChooseCodecAsync("additive");
        await Expect(Page.GetByTestId("kmin")).ToBeDisabledAsync();
        await newRun.SetNumberAsync("validation-samples", 300);
        await newRun.SetNumberAsync("population", 6);
        await newRun.SetNumberAsync("generations", 3);
        await newRun.SetNumberAsync("calibration-steps", 150);
        await newRun.SetNumberAsync("calibration-budget", 1);
        await newRun.SetNumberAsync("target-loss", 1);
        await newRun.UploadModelAsync(FixtureFiles.CnnModel);
        await newRun.UploadDatasetAsync(FixtureFiles.Images, FixtureFiles.Labels);
        await Expect(newRun.StartButton).ToBeEnabledAsync();

        // Act
        var run = await newRun.StartAsync();

        // Assert: while it runs, the chart gains points and the progress line counts fine-tuning steps.
        var clock = Stopwatch.StartNew();
        var markers = new List<int>();
        var steps = new List<string>();
        while (clock.Elapsed < TimeSpan.FromMinutes(4))
        {
            var status = (await run.Status.InnerTextAsync()).Trim();
            markers.Add((await run.ReadParetoChartAsync()).Markers);
            var caption = (await run.ProgressCaption.InnerTextAsync()).Trim();
            if (caption.Contains("fine-tuning step", StringComparison.Ordinal))
            {
                steps.Add(caption);
            }
            if (status is "Succeeded" or "Failed" or "Canceled")
            {
                break;
            }
            await Task.Delay(250);
        }
        Output.WriteLine($"markers {string.Join(",", markers.Distinct())}; steps seen {steps.Count}, e.g. {steps.FirstOrDefault()}");
        await Expect(run.Status).ToHaveTextAsync("Succeeded");
        Assert.Contains(markers, m => m > 0 && m < markers[^1]);
        Assert.NotEmpty(steps);

        // One solution is fine-tuned, and its .wsz downloads at the size the table says.
        await Expect(run.SolutionsTable.GetByText("fine-tuned", new() { Exact = true })).ToHaveCountAsync(1);
        var downloads = Directory.CreateTempSubdirectory("wsw-e2e-additive-").FullName;
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
