using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeightShare.EndToEnd.Tests.Pages;

/// <summary>Scalar's API explorer at /api-explorer.</summary>
public sealed class ApiExplorerPageObject(IPage page)
{
    public ILocator Sidebar => page.Locator("aside[aria-label^='Sidebar']");

    /// <summary>The sidebar's entries named exactly <paramref name="name"/> (a tag, or the schemas' section).</summary>
    public ILocator SidebarEntries(string name) => Sidebar.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    /// <summary>Anything on the page, link or button, whose text contains <paramref name="text"/>.</summary>
    public ILocator Text(string text) => page.GetByText(text);

    /// <summary>Opens the explorer and waits until it has read the OpenAPI document into its sidebar.</summary>
    public async Task<ApiExplorerPageObject> GotoAsync()
    {
        await page.GotoAsync("/api-explorer");
        await Expect(SidebarEntries("Runs")).ToBeVisibleAsync();
        return this;
    }
}
