using WeightShare.ScaleOut.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WeightShare.ScaleOut.Tests;

/// <summary>
/// README "Scaling out", as the processes really run: one web process that runs no jobs, two worker processes, one
/// PostgreSQL database and one shared data directory; the fronts compared with the same runs in the embedded default.
/// </summary>
public sealed class ScaleOutTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan RunsTimeout = TimeSpan.FromMinutes(8);
    private readonly string _shared = Directory.CreateTempSubdirectory("wsw-scaleout-").FullName;
    private readonly List<AppProcess> _processes = [];
    private PostgresDatabase? _database;

    private PostgresDatabase Database => _database ?? throw new InvalidOperationException("No database yet.");

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    [Fact]
    public async Task FourRuns_OneWebTwoWorkers_BothWorkersRunThemEveryGenerationReachesTheHubOnceAndFrontsEqualEmbedded()
    {
        // Arrange: the web process first; four runs queued before any worker exists, so the hub client has joined each
        // run before its first generation can happen.
        var web = await StartWebAsync();
        using var api = new AppApi(web.Address!);
        await using var hub = await HubRecorder.ConnectAsync(web.Address!);
        var (model, dataset) = await api.UploadFixturesAsync();
        (int Generations, int KMax)[] plans = [(5, 128), (5, 256), (6, 512), (6, 1024)];
        var runs = new List<string>();
        foreach (var (generations, kMax) in plans)
        {
            var id = await api.StartRunAsync(model, dataset, generations, kMax);
            await hub.JoinAsync(id);
            runs.Add(id);
        }

        // Act: two workers take the queue.
        StartWorker("worker-a");
        StartWorker("worker-b");
        var finished = new List<System.Text.Json.JsonElement>();
        foreach (var id in runs)
        {
            finished.Add(await api.WaitForAsync(id, AppApi.Succeeded, RunsTimeout, Outputs));
        }

        // Assert: both workers executed runs; every generation of every run reached the hub client once, in order.
        var workers = finished.Select(r => r.GetProperty("worker").GetString()).ToArray();
        output.WriteLine("workers: " + string.Join(", ", workers));
        Assert.Equal(["worker-a", "worker-b"], workers.Distinct().Order());
        for (var i = 0; i < runs.Count; i++)
        {
            await WaitForGenerationsAsync(hub, runs[i], plans[i].Generations);
            Assert.Equal(Enumerable.Range(1, plans[i].Generations), hub.Generations(runs[i]));
        }

        // ... and each run's result equals the same run in the embedded default (SQLite, in-process jobs).
        var scaledOut = new List<string>();
        foreach (var id in runs)
        {
            scaledOut.Add(await api.ResultAsync(id));
        }
        Assert.Equal(scaledOut, await EmbeddedResultsAsync(plans));
    }

    [Fact]
    public async Task KillMinus9_WorkerMidRun_TheOtherWorkerFinishesItEveryGenerationOnceAndTheFrontEqualsEmbedded()
    {
        // Arrange: one run long enough to be killed in the middle, followed on the hub from before it starts.
        const int generations = 12;
        var web = await StartWebAsync();
        using var api = new AppApi(web.Address!);
        await using var hub = await HubRecorder.ConnectAsync(web.Address!);
        var (model, dataset) = await api.UploadFixturesAsync();
        var id = await api.StartRunAsync(model, dataset, generations, kMax: 1024);
        await hub.JoinAsync(id);
        var workers = new[] { StartWorker("worker-a"), StartWorker("worker-b") };
        var running = await api.WaitForAsync(id, r => r.GetProperty("generation").GetInt32() >= 3, RunsTimeout, Outputs);
        var first = running.GetProperty("worker").GetString();

        // Act: the worker executing the run dies without a chance to clean up.
        workers.Single(w => w.Name == first).KillHard();
        output.WriteLine($"killed {first} after generation {running.GetProperty("generation").GetInt32()}");

        // Assert: the other worker continues the run to the end (after the job's invisibility timeout and the run's
        // lease lapse), the hub client saw every generation once and in order, and the result is the straight run's.
        var done = await api.WaitForAsync(id, AppApi.Succeeded, RunsTimeout, Outputs);
        Assert.NotEqual(first, done.GetProperty("worker").GetString());
        Assert.Equal(Enumerable.Range(1, generations), (await api.GenerationsAsync(id)).EnumerateArray().Select(g => g.GetProperty("generation").GetInt32()));
        await WaitForGenerationsAsync(hub, id, generations);
        Assert.Equal(Enumerable.Range(1, generations), hub.Generations(id));
        Assert.Equal([await api.ResultAsync(id)], await EmbeddedResultsAsync([(generations, 1024)]));
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

    private Dictionary<string, string> ScaleOutSettings(int workerCount) => new(Infrastructure.ScaleOutSettings.For(Database, _shared, workerCount))
    {
        // Short enough that a killed worker's run moves on within the test; README gives the defaults.
        ["WeightShare__JobInvisibilityTimeout"] = "00:00:10",
        ["WeightShare__RunLease"] = "00:00:06",
    };

    private async Task<AppProcess> StartWebAsync()
    {
        var web = await AppProcess.StartWebAsync("web", ScaleOutSettings(workerCount: 0));
        _processes.Add(web);
        return web;
    }

    private AppProcess StartWorker(string name)
    {
        var worker = AppProcess.StartWorker(name, ScaleOutSettings(workerCount: 1));
        _processes.Add(worker);
        return worker;
    }

    /// <summary>The same runs, one after the other, in an embedded process of its own (SQLite, in-process jobs).</summary>
    private async Task<List<string>> EmbeddedResultsAsync(IEnumerable<(int Generations, int KMax)> plans)
    {
        await using var embedded = await AppProcess.StartWebAsync("embedded", new Dictionary<string, string>
        {
            ["WeightShare__DataDirectory"] = Path.Combine(_shared, "embedded"),
        });
        using var api = new AppApi(embedded.Address!);
        var (model, dataset) = await api.UploadFixturesAsync();
        var results = new List<string>();
        foreach (var (generations, kMax) in plans)
        {
            var id = await api.StartRunAsync(model, dataset, generations, kMax);
            await api.WaitForAsync(id, AppApi.Succeeded, RunsTimeout, () => embedded.Output);
            results.Add(await api.ResultAsync(id));
        }
        return results;
    }

    /// <summary>Events may trail the stored status by a moment: wait for the last generation's, then compare.</summary>
    private static async Task WaitForGenerationsAsync(HubRecorder hub, string runId, int generations)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (hub.Generations(runId).Length < generations && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    private string Outputs() => string.Join("\n\n", _processes.Select(p => $"--- {p.Name}{(p.HasExited ? " (exited)" : "")}:\n{p.Output}"));
}
