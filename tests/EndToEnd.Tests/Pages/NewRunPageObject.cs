using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeightShare.EndToEnd.Tests.Pages;

/// <summary>The upload and settings page at /runs/new.</summary>
public sealed partial class NewRunPageObject(IPage page)
{
    public ILocator ModelDrop => page.GetByTestId("model-drop");

    public ILocator DatasetDrop => page.GetByTestId("dataset-drop");

    public ILocator ModelSummary => page.GetByTestId("model-summary");

    public ILocator DatasetSummary => page.GetByTestId("dataset-summary");

    public ILocator ModelError => page.GetByTestId("model-error");

    public ILocator DatasetError => page.GetByTestId("dataset-error");

    public ILocator Preset => page.GetByTestId("preset");

    public ILocator StartButton => page.GetByTestId("start");

    public ILocator StartError => page.GetByTestId("start-error");

    /// <summary>The count of settings Start refused, shown beside it.</summary>
    public ILocator SettingsProblems => page.GetByTestId("settings-problems");

    /// <summary>The warning for data whose values reach far beyond a normalised range.</summary>
    public ILocator RangeWarning => page.GetByTestId("range-warning");

    /// <summary>The problem shown under a numeric field, by the field's test id.</summary>
    public ILocator FieldError(string testId) =>
        page.Locator($".mud-input-control:has([data-testid={testId}]) .mud-input-helper-text.mud-input-error");

    public async Task<NewRunPageObject> GotoAsync()
    {
        await page.GotoAsync("/runs/new");
        await WaitReadyAsync();
        return this;
    }

    /// <summary>
    /// Waits until the drop zones listen for files: the page is prerendered, and files chosen or fields typed before the
    /// circuit is up would be lost.
    /// </summary>
    public async Task WaitReadyAsync()
    {
        await Expect(ModelDrop).ToHaveAttributeAsync("data-ready", "true");
        await Expect(DatasetDrop).ToHaveAttributeAsync("data-ready", "true");
    }

    /// <summary>Picks a preprocessing preset by its exact name, then checks the scale field took its value.</summary>
    public async Task ChoosePresetAsync(string name)
    {
        await Preset.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = name, Exact = true }).ClickAsync();
        await Expect(Preset).ToContainTextAsync(name);
    }

    /// <summary>Picks a codec by its id, then checks the select shows it.</summary>
    public async Task ChooseCodecAsync(string id)
    {
        var select = page.GetByTestId("codec");
        await select.ClickAsync();
        await page.GetByRole(AriaRole.Option).Filter(new() { HasTextRegex = new Regex($"^{id} ·") }).ClickAsync();
        await Expect(select).ToContainTextAsync(id + " ·");
    }

    public async Task SetNumberAsync(string testId, double value)
    {
        var field = page.GetByTestId(testId);
        var text = value.ToString(CultureInfo.InvariantCulture);
        await field.FillAsync(text);
        // MudNumericField takes the value on change, which the browser raises when the field loses focus.
        await field.PressAsync("Tab");
        await Expect(field).ToHaveValueAsync(text);
    }

    public Task SetSettingsAsync(int validationSamples, int population, int generations, int kMin, int kMax, int seed = 1) =>
        SetNumbersAsync(("validation-samples", validationSamples), ("population", population), ("generations", generations),
            ("kmin", kMin), ("kmax", kMax), ("seed", seed));

    public Task UploadModelAsync(string path) => page.GetByTestId("model-drop-input").SetInputFilesAsync(path);

    public Task UploadDatasetAsync(params string[] paths) => page.GetByTestId("dataset-drop-input").SetInputFilesAsync(paths);

    /// <summary>A row's value in a summary table, by its label ("Format", "Samples", ...).</summary>
    public static ILocator SummaryValue(ILocator summary, string label) =>
        summary.Locator($"tr:has(td:first-child:text-is(\"{label}\")) td:nth-child(2)");

    /// <summary>
    /// Clicks Start and waits for the run page the app navigates to. Start first checks the model on one batch on the
    /// server, which on two busy cores (a CI run) has taken longer than Playwright's default 15 s: allow a minute, and
    /// wait only for the URL (Blazor navigates in the page; there is no new load to wait for).
    /// </summary>
    public async Task<RunPageObject> StartAsync()
    {
        await StartButton.ClickAsync();
        await page.WaitForURLAsync(RunUrl(), new() { Timeout = 60_000, WaitUntil = WaitUntilState.Commit });
        var id = RunUrl().Match(page.Url).Groups["id"].Value;
        return new RunPageObject(page, id);
    }

    private async Task SetNumbersAsync(params (string TestId, double Value)[] fields)
    {
        foreach (var (testId, value) in fields)
        {
            await SetNumberAsync(testId, value);
        }
    }

    [GeneratedRegex("/runs/(?<id>(?!new$)[^/?#]+)$")]
    private static partial Regex RunUrl();
}
