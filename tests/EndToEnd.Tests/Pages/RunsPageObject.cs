using Microsoft.Playwright;

namespace WeightShare.EndToEnd.Tests.Pages;

/// <summary>The runs list at /.</summary>
public sealed class RunsPageObject(IPage page)
{
    public ILocator Table => page.GetByTestId("runs-table");

    public ILocator NewRunButton => page.GetByTestId("new-run");

    public ILocator CompareButton => page.GetByTestId("compare");

    /// <summary>The row of run <paramref name="id"/>: the one whose link opens it.</summary>
    public ILocator Row(string id) => Table.Locator("tbody tr").Filter(new() { Has = page.Locator($"a[href='/runs/{id}']") });

    /// <summary>The comparison checkbox of run <paramref name="id"/>.</summary>
    public ILocator Select(string id) => Row(id).Locator("input[data-testid=select-run], [data-testid=select-run] input").First;

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
