using WeightShare.EndToEnd.Tests.Infrastructure;
using WeightShare.EndToEnd.Tests.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WeightShare.EndToEnd.Tests;

/// <summary>The frame around every page: its assets as hosted, and the theme toggle.</summary>
public sealed class LayoutTests(AppFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task Pages_OpenedOneAfterAnother_LoadTheirStaticAssetsWithoutErrors()
    {
        // Act
        var runs = await new RunsPageObject(Page).GotoAsync();
        var newRun = await runs.ClickNewRunAsync();

        // Assert: the page is styled and interactive, its assets came back 200, and the browser logged nothing wrong.
        await Expect(newRun.ModelDrop).ToHaveCSSAsync("border-top-style", "dashed");
        await Expect(Page.Locator(".mud-appbar")).ToHaveCSSAsync("position", "fixed");
        AssertLoaded("/_framework/blazor.web.js");
        AssertLoaded("/_content/MudBlazor/MudBlazor.min.css");
        AssertLoaded("/_content/MudBlazor/MudBlazor.min.js");
        AssertLoaded("/css/app.css");
        AssertLoaded("/js/upload.js");
        AssertNoErrors();
    }

    [Fact]
    public async Task NewRunLink_ClickedBeforeThePageIsInteractive_OpensTheNewRunPage()
    {
        // Arrange: the runs page as soon as its prerendered HTML is there, before the circuit starts.
        await Page.GotoAsync("/", new() { WaitUntil = WaitUntilState.Commit });
        var runs = new RunsPageObject(Page);

        // Act: no wait for interactivity.
        await runs.NewRunButton.ClickAsync();

        // Assert: the address and the page agree, and the page comes up interactive.
        await Page.WaitForURLAsync("**/runs/new");
        var newRun = new NewRunPageObject(Page);
        await newRun.WaitReadyAsync();
        await Expect(runs.NewRunButton).ToHaveCountAsync(0);

        // Assert: once interactive, the same link still works (now through the interactive router).
        await Page.GotoAsync("/");
        await runs.Layout.WaitInteractiveAsync();
        await runs.NewRunButton.ClickAsync();
        await newRun.WaitReadyAsync();
        AssertNoErrors();
    }

    [Fact]
    public async Task ThemeToggle_Clicked_ChangesThePageBackground()
    {
        // Arrange: the browser prefers light, so the app starts light.
        var layout = (await new RunsPageObject(Page).GotoAsync()).Layout;
        var light = await layout.BackgroundColorAsync();

        // Act
        await layout.ThemeToggle.ClickAsync();

        // Assert: dark is another, darker background; a second click brings light back.
        await Expect(Page.Locator("body")).Not.ToHaveCSSAsync("background-color", light);
        var dark = await layout.BackgroundColorAsync();
        Assert.True(Luminance(dark) < Luminance(light), $"dark {dark} is not darker than light {light}");
        await layout.ThemeToggle.ClickAsync();
        await Expect(Page.Locator("body")).ToHaveCSSAsync("background-color", light);
        AssertNoErrors();
    }

    [Fact]
    public async Task ThemeToggle_ThenReload_KeepsTheChosenTheme()
    {
        // Arrange: the browser prefers light; the user picks dark.
        var layout = (await new RunsPageObject(Page).GotoAsync()).Layout;
        var light = await layout.BackgroundColorAsync();
        await layout.ThemeToggle.ClickAsync();
        await Expect(Page.Locator("body")).Not.ToHaveCSSAsync("background-color", light);
        var dark = await layout.BackgroundColorAsync();

        // Act
        await Page.ReloadAsync();

        // Assert: dark again after the reload, and once more after another page is opened.
        await Expect(Page.Locator("body")).ToHaveCSSAsync("background-color", dark);
        await new RunsPageObject(Page).GotoAsync();
        await Expect(Page.Locator("body")).ToHaveCSSAsync("background-color", dark);
        await layout.ThemeToggle.ClickAsync();
        await Expect(Page.Locator("body")).ToHaveCSSAsync("background-color", light);
        AssertNoErrors();
    }

    /// <summary>Sum of the channels of a computed "rgb(r, g, b)" or "rgba(...)" colour.</summary>
    private static int Luminance(string color) =>
        color[(color.IndexOf('(') + 1)..color.IndexOf(')')].Split(',').Take(3).Sum(c => int.Parse(c.Trim(), System.Globalization.CultureInfo.InvariantCulture));
}
