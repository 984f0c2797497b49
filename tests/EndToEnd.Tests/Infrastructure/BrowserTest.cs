using Microsoft.Playwright;
using Xunit.Abstractions;

namespace WeightShare.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A fresh browser context and page per test against the class's app, with the page's errors recorded, screenshots
/// saved under the test output's screenshots/ folder, and generous waits for a machine that is also training models.
/// </summary>
public abstract class BrowserTest(AppFixture fixture, ITestOutputHelper output) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private IBrowserContext? _context;
    private IPage? _page;
    private BrowserErrors? _errors;

    protected AppFixture Fixture { get; } = fixture;

    protected ITestOutputHelper Output { get; } = output;

    protected IPage Page => _page ?? throw new InvalidOperationException("The browser is not open yet.");

    protected BrowserErrors Errors => _errors ?? throw new InvalidOperationException("The browser is not open yet.");

    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public virtual async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        _context = await Fixture.Browser.NewContextAsync(new()
        {
            BaseURL = Fixture.BaseAddress.ToString(),
            ColorScheme = ColorScheme.Light,
            ViewportSize = new() { Width = 1400, Height = 1000 },
            AcceptDownloads = true,
        });
        _context.SetDefaultTimeout(15_000);
        _page = await _context.NewPageAsync();
        _errors = new BrowserErrors(_page);
    }

    public virtual async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.CloseAsync();
        }
    }

    /// <summary>Saves a full-page screenshot as screenshots/<paramref name="name"/>.png and prints where.</summary>
    protected async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        Output.WriteLine($"Screenshot: {path}");
        return path;
    }

    /// <summary>Fails with the list when the browser saw anything worth failing on.</summary>
    protected void AssertNoBrowserErrors(params string[] expectedFailures)
    {
        var unexpected = Errors.Unexpected(expectedFailures);
        Assert.True(unexpected.Count == 0, "The browser reported:\n" + string.Join("\n", unexpected));
    }
}
