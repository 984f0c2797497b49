using Microsoft.Playwright;
using WeightShare.EndToEnd.Tests.Pages;
using WeightShare.ScaleOut.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WeightShare.ScaleOut.Tests;

/// <summary>
/// The run page of a web process that runs no jobs, open in Chromium while a worker process on the same PostgreSQL
/// database runs the search: the chart and the throughput grow live, with no reload (events cross processes as
/// PostgreSQL notifications).
/// </summary>
public sealed class LiveRunPageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _shared = Directory.CreateTempSubdirectory("wsw-scaleout-live-").FullName;
    private readonly List<AppProcess> _processes = [];
    private PostgresDatabase? _database;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    [Fact]
    public async Task RunPage_WebProcessAndWorkerOnPostgreSql_ChartAndThroughputGrowWithoutReload()
    {
        // Arrange: the web process, a queued run, and its page open before any worker exists.
        var web = await AppProcess.StartWebAsync("web", Settings(workerCount: 0));
        _processes.Add(web);
        using var api = new AppApi(web.Address!);
        var (model, dataset) = await api.UploadFixturesAsync();
        var id = await api.StartRunAsync(model, dataset, generations: 30, kMax: 1024);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
        await using var context = await browser.NewContextAsync(new() { BaseURL = web.Address!.ToString() });
        var page = await context.NewPageAsync();
        var run = await new RunPageObject(page, id).GotoAsync();
        await Assertions.Expect(run.Status).ToHaveTextAsync("Queued");

        // Act: a worker takes the run while the page stays open.
        var worker = AppProcess.StartWorker("worker-a", Settings(workerCount: 1));
        _processes.Add(worker);
        var watched = await LiveChart.WatchAsync(run, TimeSpan.FromMinutes(4));

        // Assert
        output.WriteLine(string.Join("\n", watched.Seen));
        LiveChart.AssertGrew(watched);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        Directory.Delete(_shared, recursive: true);
    }

    private Dictionary<string, string> Settings(int workerCount) =>
        ScaleOutSettings.For(_database ?? throw new InvalidOperationException("No database yet."), _shared, workerCount);
}
