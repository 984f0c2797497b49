using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeightShare.EndToEnd.Tests.Pages;

/// <summary>The frame every page shares: the app bar with the theme toggle.</summary>
public sealed class LayoutObject(IPage page)
{
    public ILocator ThemeToggle => page.GetByTestId("theme-toggle");

    /// <summary>
    /// Pages are prerendered, then the circuit takes over; the theme toggle is enabled from its first interactive
    /// render, so waiting for it means clicks and typing now reach the app.
    /// </summary>
    public Task WaitInteractiveAsync() => Expect(ThemeToggle).ToBeEnabledAsync();

    /// <summary>The background colour the page shows, as the browser computed it.</summary>
    public Task<string> BackgroundColorAsync() =>
        page.Locator("body").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
}
