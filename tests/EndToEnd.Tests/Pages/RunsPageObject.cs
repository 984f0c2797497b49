using Microsoft.Playwright;

namespace WeightShare.EndToEnd.Tests.Pages;

/// <summary>The runs list at /.</summary>
public sealed class RunsPageObject(IPage page)
{
    public ILocator Table => page.GetByTestId("runs-table");

    public ILocator NewRunButton => page.GetByTestId("new-run");

    public LayoutObject Layout { get; } = new(page);

    public async Task<RunsPageObject> GotoAsync()
    {
        await page.GotoAsync("/");
        await Layout.WaitInteractiveAsync();
        return this;
    }

    public async Task<NewRunPageObject> ClickNewRunAsync()
    {
        await NewRunButton.ClickAsync();
        await page.WaitForURLAsync("**/runs/new");
        var newRun = new NewRunPageObject(page);
        await newRun.WaitReadyAsync();
        return newRun;
    }
}
