using WeightShare.EndToEnd.Tests.Infrastructure;
using WeightShare.EndToEnd.Tests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WeightShare.EndToEnd.Tests;

/// <summary>
/// A weight-only checkpoint through the browser: the new-run page takes a float16 safetensors file without data,
/// offers the one metric that fits and says why, and the run page says what it measured, in dB.
/// </summary>
public sealed class DataFreeRunTests(AppFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task NewRun_HalfPrecisionSafetensorsWithoutData_RunsDataFreeAndShowsTheWeightSnr()
    {
        // Arrange
        var newRun = await new NewRunPageObject(Page).GotoAsync();
        await newRun.SetNumberAsync("population", 8);
        await newRun.SetNumberAsync("generations", 3);

        // Act: only the model; no data is dropped.
        await newRun.UploadModelAsync(FixtureFiles.CnnHalfSafetensors);

        // Assert: the page says the file runs data-free, offers the weight SNR only and says why; Start is enabled.
        await Expect(Page.GetByTestId("weights-only")).ToContainTextAsync("data-free");
        await Expect(Page.GetByTestId("data-free-note")).ToContainTextAsync("no data is needed");
        await Expect(Page.GetByTestId("data-free")).ToBeCheckedAsync();
        await Expect(Page.GetByTestId("data-free")).ToBeDisabledAsync();
        await Expect(Page.GetByTestId("metric")).ToContainTextAsync("Weight SNR (dB)");
        await Expect(Page.GetByText("need a model that runs (TorchScript or ONNX) and data", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(newRun.StartButton).ToBeEnabledAsync();
        var run = await newRun.StartAsync();

        // The run page names the mode and the metric in dB, on the chart's axis and in the table.
        await Expect(run.Status).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
        await Expect(Page.GetByTestId("mode")).ToContainTextAsync("Data-free");
        await Expect(Page.GetByTestId("baseline")).ToHaveCountAsync(0);
        await Expect(run.ParetoChart).ToHaveAttributeAsync("data-y-axis", "Weight SNR (dB)");
        await Expect(Page.Locator("#pareto-chart .ytitle")).ToHaveTextAsync("Weight SNR (dB)");
        await Expect(run.SolutionRows.First).ToBeVisibleAsync();
        await Expect(run.SolutionRows.First.GetByTestId("weight-snr")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^-?\d+\.\d dB$"));

        // The checkpoint downloads as safetensors.
        var downloads = Directory.CreateTempSubdirectory("wsw-e2e-datafree-").FullName;
        try
        {
            var checkpoint = await run.DownloadAsync(run.DownloadCheckpoint(0), downloads);
            Assert.EndsWith(".safetensors", checkpoint, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(downloads, recursive: true);
        }
        AssertNoErrors();
    }
}
