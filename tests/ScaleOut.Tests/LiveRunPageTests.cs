using Microsoft.Playwright;
using WeightShare.EndToEnd.Tests.Pages;
using WeightShare.ScaleOut.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WeightShare.ScaleOut.Tests;

/// <summary>
/// A run started from the new-run page of a web process that runs no jobs, its page open in Chromium while a worker
/// process on the same PostgreSQL database runs the search: the chart and the throughput grow live, with no reload
/// (events cross processes as PostgreSQL notifications).
/// </summary>
public sealed class LiveRunPageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _shared = Directory.CreateTempSubdirectory("wsw-scaleout-live-").FullName;
    private readonly List<AppProcess> _processes = [];
    private PostgresDatabase? _database;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    [Fact]
    public async Task NewRunPage_WebProcessAndWorkerOnPostgreSql_ChartAndThroughputGrowWithoutReload()
    {
        // Arrange: the web process, and in Chromium its new-run page with the fixture CNN and Fashion-MNIST.
        var web = await AppProcess.StartWebAsync("web", Settings(workerCount: 0));
        _processes.Add(web);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
        await using var context = await browser.NewContextAsync(new() { BaseURL = web.Address!.ToString() });
        var page = await context.NewPageAsync();
        var newRun = await new NewRunPageObject(page).GotoAsync();
        await newRun.ChoosePresetAsync("Fashion-MNIST");
        await newRun.SetSettingsAsync(validationSamples: 300, population: 8, generations: 30, kMin: 4, kMax: 512);
        await newRun.SetNumberAsync("calibration-budget", 0);
        await newRun.SetNumberAsync("patience", 0);
        await newRun.UploadModelAsync(Fixture("fmnist_cnn.pt"));
        await newRun.UploadDatasetAsync(Fixture("eval-images-idx3-ubyte.gz"), Fixture("eval-labels-idx1-ubyte.gz"));
        await Assertions.Expect(newRun.StartButton).ToBeEnabledAsync();

        // Act: Start queues the run (the web process runs no jobs) and opens its page; a worker then takes it while
        // the page stays open.
        var run = await newRun.StartAsync();
        await Assertions.Expect(run.Status).ToHaveTextAsync("Queued");
        var worker = AppProcess.StartWorker("worker-a", Settings(workerCount: 1));
        _processes.Add(worker);
        var watched = await LiveChart.WatchAsync(run, TimeSpan.FromMinutes(4));

        // Assert
        output.WriteLine(string.Join("\n", watched.Seen));
        LiveChart.AssertGrew(watched);
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

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
