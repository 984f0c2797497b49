using System.Diagnostics.CodeAnalysis;
using Microsoft.Playwright;

namespace WeightShare.EndToEnd.Tests.Infrastructure;

/// <summary>One test class's app (own data directory) and one headless Debian Chromium to drive it.</summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "xUnit disposes the fixture through IAsyncLifetime.DisposeAsync, which disposes every field.")]
public sealed class AppFixture : IAsyncLifetime
{
    /// <summary>Debian's package; Playwright cannot download its own browser on these machines.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private HttpClient? _http;
    private WebAppFactory? _app;

    public WebAppFactory App => _app ?? throw new InvalidOperationException("The fixture is not initialised.");

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>The public API of this class's app, over one shared HttpClient.</summary>
    public RunsApi Api => new(_http ?? throw new InvalidOperationException("The fixture is not initialised."));

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The end-to-end tests drive Chromium at {ChromiumPath}, which is missing: install it with `apt-get install chromium`.");
        }
        _app = new WebAppFactory();
        BaseAddress = _app.ServerAddress;
        _http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
