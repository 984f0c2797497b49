using System.Collections.Concurrent;
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
    private readonly ConcurrentQueue<(string Path, int Status)> _responses = new();
    private int _serverLogStart;

    protected AppFixture Fixture { get; } = fixture;

    protected ITestOutputHelper Output { get; } = output;

    protected IPage Page => _page ?? throw new InvalidOperationException("The browser is not open yet.");

    protected BrowserErrors Errors => _errors ?? throw new InvalidOperationException("The browser is not open yet.");

    /// <summary>Every answer the page received so far: its path and status.</summary>
    protected IReadOnlyList<(string Path, int Status)> Responses => _responses.ToArray();

    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public virtual async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        _serverLogStart = Fixture.App.Log.Count;
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
        _page.Response += (_, response) => _responses.Enqueue((new Uri(response.Url).AbsolutePath, response.Status));
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

    /// <summary>
    /// Saves a screenshot of the page where README shows it: docs/images/<paramref name="name"/>.png of the repository
    /// this suite was built from, so README's pictures are always the current pages as the suite drove them, never
    /// made by hand. Fails when the repository cannot be found or the file was not written.
    /// </summary>
    protected async Task<string> ReadmeScreenshotAsync(string name)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "WeightShareWeb.sln")))
        {
            root = root.Parent;
        }
        Assert.True(root is not null, $"No WeightShareWeb.sln above {AppContext.BaseDirectory}: README's screenshots cannot be written.");
        var path = Path.Combine(root.FullName, "docs", "images", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var before = DateTime.UtcNow;
        // From the top, nothing focused: the fixed app bar then sits where a reader expects it.
        await Page.EvaluateAsync("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        var written = new FileInfo(path);
        Assert.True(written.Exists && written.Length > 10_000 && written.LastWriteTimeUtc >= before.AddSeconds(-1), $"{path} was not written.");
        Output.WriteLine($"README screenshot: {path}");
        return path;
    }

    /// <summary>Fails unless the page fetched a path starting with <paramref name="pathPrefix"/> and got 200 for it.</summary>
    protected void AssertLoaded(string pathPrefix)
    {
        var answers = Responses.Where(r => r.Path.StartsWith(pathPrefix, StringComparison.Ordinal)).ToArray();
        Assert.True(answers.Length > 0 && answers.All(r => r.Status == 200),
            $"{pathPrefix}: " + (answers.Length == 0 ? "never requested" : string.Join(", ", answers.Select(a => $"{a.Path} {a.Status}"))));
    }

    /// <summary>
    /// Fails with the list when the browser saw anything worth failing on (answers of 400 or more only when their
    /// address contains none of <paramref name="expectedFailures"/>) or the app logged a warning or error during the test.
    /// </summary>
    protected void AssertNoErrors(params string[] expectedFailures)
    {
        var unexpected = Errors.Unexpected(expectedFailures).Concat(Fixture.App.Log.Since(_serverLogStart).Select(e => "server: " + e)).ToArray();
        Assert.True(unexpected.Length == 0, "Trouble on the way:\n" + string.Join("\n", unexpected));
    }
}
